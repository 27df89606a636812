package dev.fanout;

import static dev.fanout.Conditions.credentialPresent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Jib;
import dev.fanout.spi.RegistryBackend;
import dev.fanout.spi.RegistryBackendProvider;
import dev.fanout.testing.ConnectionCounter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Planning a pipeline")
class PlanTest {

  private static final Environment NOTHING_SET = Environment.of(Map.of());

  @Test
  @DisplayName("skips a target whose condition does not hold and says why")
  void skipsWithReason() {
    Plan plan =
        Pipeline.prepare(Environment.of(Map.of("GHCR_TOKEN", "t")))
            .image(Jib.fromScratch())
            .tags("1.4.2")
            .when(credentialPresent("QUAY_USERNAME", "QUAY_TOKEN"))
            .push("quay.io/acme/app")
            .when(credentialPresent("GHCR_TOKEN"))
            .push("ghcr.io/acme/app")
            .plan();
    assertTrue(plan.isValid(), plan::toString);
    PlannedTarget quay = plan.targets().get(0);
    assertFalse(quay.enabled());
    assertEquals("QUAY_USERNAME and QUAY_TOKEN are not set", quay.reason());
    PlannedTarget ghcr = plan.targets().get(1);
    assertTrue(ghcr.enabled());
    assertEquals("oci", ghcr.backend());
    assertEquals(List.of("1.4.2"), ghcr.tags());
    assertTrue(plan.toString().contains("QUAY_USERNAME and QUAY_TOKEN are not set"), plan::toString);
  }

  @Test
  @DisplayName("reports every bad input at once: references, tags, duplicates and a missing image")
  void reportsEveryProblem() {
    Plan plan =
        Pipeline.prepare(NOTHING_SET)
            .tags("1.0", "bad tag")
            .push("UPPER/case")
            .push("a b")
            .push("")
            .push(Target.to("ghcr.io/acme/app").tags("-nope"))
            .push("ghcr.io/acme/app:2.0")
            .plan();
    String problems = String.join("\n", plan.problems());
    assertTrue(problems.contains("no image"), problems);
    assertTrue(problems.contains("'bad tag' is not a valid tag"), problems);
    assertTrue(problems.contains("'UPPER/case' is not a valid image reference"), problems);
    assertTrue(problems.contains("'a b' is not a valid image reference"), problems);
    assertTrue(problems.contains("the image reference is empty"), problems);
    assertTrue(problems.contains("'-nope' is not a valid tag"), problems);
    assertTrue(problems.contains("duplicate target, ghcr.io/acme/app is already declared"), problems);
    assertEquals(7, plan.problems().size(), problems);
  }

  @Test
  @DisplayName("run refuses a pipeline with problems before any network I/O and lists them all")
  void runRefusesBadPipeline() throws Exception {
    try (ConnectionCounter registry = new ConnectionCounter()) {
      PipelineBuilder pipeline =
          Pipeline.prepare(NOTHING_SET)
              .image(Jib.fromScratch())
              .push(Target.to(registry.host() + "/demo/app").allowPlainHttp())
              .push("UPPER/case")
              .tags("bad tag");
      PipelineConfigurationException error =
          assertThrows(PipelineConfigurationException.class, pipeline::run);
      assertEquals(2, error.problems().size(), error::getMessage);
      assertTrue(error.getMessage().contains("UPPER/case"));
      assertTrue(error.getMessage().contains("bad tag"));
      assertEquals(0, registry.connections(), "connections made to the registry");
    }
  }

  @Test
  @DisplayName("plan opens no network connection, even to a listening registry")
  void planIsOffline() throws Exception {
    try (ConnectionCounter registry = new ConnectionCounter()) {
      Plan plan =
          Pipeline.prepare(NOTHING_SET)
              .image(Jib.from(registry.host() + "/base/image:1"))
              .push(Target.to(registry.host() + "/demo/app").allowPlainHttp())
              .push("unreachable.invalid/demo/app")
              .plan();
      assertTrue(plan.isValid(), plan::toString);
      assertEquals(2, plan.enabled().size());
      assertEquals(0, registry.connections(), "connections made to the registry");
    }
  }

  @Test
  @DisplayName("credentials over plain HTTP are refused for a registry that is not on loopback")
  void plainHttpCredentialsOnlyOnLoopback() {
    Plan plan =
        Pipeline.prepare(NOTHING_SET)
            .image(Jib.fromScratch())
            .push(
                Target.to("registry.example.com/acme/app")
                    .allowPlainHttp()
                    .credentials(CredentialSource.of("robot", "secret")))
            .push(
                Target.to("127.0.0.1:5000/acme/app")
                    .allowPlainHttp()
                    .credentials(CredentialSource.of("robot", "secret")))
            .plan();
    assertEquals(1, plan.problems().size(), plan::toString);
    assertTrue(
        plan.problems()
            .get(0)
            .contains("plain HTTP to registry.example.com, which is not this machine"),
        plan::toString);
  }

  @Test
  @DisplayName("credentials from unset variables are a problem for an enabled target only")
  void unsetCredentialVariables() {
    CredentialSource source = CredentialSource.fromEnvironment("GHCR_USERNAME", "GHCR_TOKEN");
    Plan plan =
        Pipeline.prepare(NOTHING_SET)
            .image(Jib.fromScratch())
            .push(Target.to("ghcr.io/acme/app").credentials(source))
            .when(credentialPresent("QUAY_TOKEN"))
            .push(Target.to("quay.io/acme/app").credentials(source))
            .plan();
    assertEquals(
        List.of(
            "target 'ghcr.io/acme/app': GHCR_USERNAME is not set",
            "target 'ghcr.io/acme/app': GHCR_TOKEN is not set"),
        plan.problems());
  }

  @Test
  @DisplayName("a plan runs once, as it shows it; a plan made by hand cannot run")
  void planRunsOnce() {
    Plan plan =
        Pipeline.prepare(NOTHING_SET)
            .image(Jib.fromScratch())
            .when(Conditions.never())
            .push("ghcr.io/acme/app")
            .plan();

    PushReport report = plan.run();

    assertEquals(TargetStatus.SKIPPED, report.results().get(0).status(), report::toString);
    IllegalStateException again = assertThrows(IllegalStateException.class, plan::run);
    assertTrue(again.getMessage().contains("this plan has run already"), again::getMessage);
    Plan byHand = new Plan("scratch", Optional.empty(), plan.targets(), List.of(), List.of());
    assertThrows(IllegalStateException.class, byHand::run);
  }

  @Test
  @DisplayName(
      "a credential variable set to nothing is a problem that says it is set but empty, not unset")
  void emptyCredentialVariable() {
    Plan plan =
        Pipeline.prepare(Environment.of(Map.of("GHCR_USERNAME", "robot", "GHCR_TOKEN", "")))
            .image(Jib.fromScratch())
            .push(
                Target.to("ghcr.io/acme/app")
                    .credentials(CredentialSource.fromEnvironment("GHCR_USERNAME", "GHCR_TOKEN")))
            .plan();
    assertEquals(
        List.of("target 'ghcr.io/acme/app': GHCR_TOKEN is set but empty"), plan.problems());
  }

  @Test
  @DisplayName("a registry with a module of its own names the module to add")
  void missingBackendModule() {
    Plan plan =
        Pipeline.prepare(NOTHING_SET)
            .image(Jib.fromScratch())
            .push("123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/app")
            .push("europe-docker.pkg.dev/acme/images/app")
            .push("docker.io/acme/app")
            .plan();
    String problems = String.join("\n", plan.problems());
    assertTrue(problems.contains("add dev.fanout:fanout-registry-ecr"), problems);
    assertTrue(problems.contains("add dev.fanout:fanout-registry-gar"), problems);
    assertTrue(problems.contains("add dev.fanout:fanout-registry-dockerhub"), problems);
  }

  @Test
  @DisplayName("two backends claiming one host is an error naming both and how to pin one")
  void ambiguousBackends() {
    PipelineBuilder pipeline =
        Pipeline.prepare(NOTHING_SET)
            .image(Jib.fromScratch())
            .backend(new ClaimsEveryHost())
            .push("ghcr.io/acme/app");
    Plan ambiguous = pipeline.plan();
    String problem = String.join("\n", ambiguous.problems());
    assertTrue(problem.contains("'oci'") && problem.contains("'every-host'"), problem);
    assertTrue(problem.contains(".backend(\""), problem);

    Plan pinned = pipeline.push(Target.to("quay.io/acme/app").backend("every-host")).plan();
    assertEquals("every-host", pinned.targets().get(1).backend());
  }

  @Test
  @DisplayName("a backend that fails to load is a warning, and the other backends still serve")
  void brokenProviderIsAWarning() {
    Plan plan = Pipeline.prepare(NOTHING_SET).image(Jib.fromScratch()).push("ghcr.io/acme/app").plan();
    assertTrue(plan.isValid(), plan::toString);
    assertTrue(
        plan.warnings().stream().anyMatch(warning -> warning.contains("BrokenBackendProvider")),
        plan::toString);
  }

  @Test
  @DisplayName("a tag in the reference is pushed along with the pipeline's tags; latest when none")
  void tagsFromReference() {
    Plan plan =
        Pipeline.prepare(NOTHING_SET)
            .image(Jib.fromScratch())
            .push("ghcr.io/acme/app:edge")
            .plan();
    assertEquals(List.of("edge"), plan.targets().get(0).tags());
    Plan untagged =
        Pipeline.prepare(NOTHING_SET).image(Jib.fromScratch()).push("ghcr.io/acme/app").plan();
    assertEquals(List.of("latest"), untagged.targets().get(0).tags());
  }

  /** A second backend for any host, to provoke ambiguity. */
  private static final class ClaimsEveryHost implements RegistryBackendProvider {
    @Override
    public String id() {
      return "every-host";
    }

    @Override
    public boolean claims(String registryHost) {
      return true;
    }

    @Override
    public RegistryBackend create() {
      return new RegistryBackend() {};
    }
  }
}
