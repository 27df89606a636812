package dev.fanout.examples.ghcr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Jib;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.Plan;
import dev.fanout.PushReport;
import dev.fanout.Target;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.testkit.FaultInjectingProxy;
import dev.fanout.testkit.LocalRegistry;
import dev.fanout.testkit.ProxyRequest;
import dev.fanout.testkit.ScriptedResponse;
import dev.fanout.testkit.TestImages;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The GHCR example backend, planned")
class GhcrBackendTest {

  private static final Environment ACTIONS =
      Environment.of(
          Map.of(
              "GITHUB_ACTOR", "octocat",
              "GITHUB_TOKEN", "ghs_example",
              "GITHUB_REPOSITORY_OWNER", "Acme"));

  @Test
  @DisplayName(
      "shares ghcr.io with core's generic backend: the plan asks to pin one, and a pinned target"
          + " plans cleanly")
  void pinned() {
    Plan unpinned = plan(ACTIONS, Target.to("ghcr.io/acme/app"));
    String problems = String.join("\n", unpinned.problems());
    assertTrue(problems.contains("'oci'") && problems.contains("'ghcr'"), problems);
    assertTrue(problems.contains(".backend(\""), problems);

    Plan pinned = plan(ACTIONS, Target.to("ghcr.io/acme/app").backend("ghcr"));
    assertTrue(pinned.isValid(), pinned::toString);
    assertEquals("ghcr", pinned.targets().get(0).backend());
  }

  @Test
  @DisplayName(
      "says how to get GITHUB_TOKEN and GITHUB_ACTOR when they are missing, and that an empty one"
          + " is set but empty")
  void missingToken() {
    Plan plan = plan(Environment.of(Map.of()), Target.to("ghcr.io/acme/app").backend("ghcr"));
    assertEquals(2, plan.problems().size(), plan::toString);
    assertTrue(plan.problems().get(0).contains("secrets.GITHUB_TOKEN"), plan::toString);
    assertTrue(plan.problems().get(0).contains("packages: write"), plan::toString);
    assertTrue(plan.problems().get(1).contains("GITHUB_ACTOR is not set"), plan::toString);

    Plan empty =
        plan(
            Environment.of(Map.of("GITHUB_ACTOR", "octocat", "GITHUB_TOKEN", "")),
            Target.to("ghcr.io/acme/app").backend("ghcr"));
    assertTrue(
        empty.problems().get(0).contains(": GITHUB_TOKEN is set but empty: in a workflow"),
        empty::toString);
  }

  @Test
  @DisplayName("wants an owner in the name, and the workflow's own owner for the workflow's token")
  void owner() {
    Plan plan =
        Pipeline.prepare(ACTIONS)
            .image(Jib.fromScratch())
            .push(Target.to("ghcr.io/app").backend("ghcr"))
            .push(Target.to("ghcr.io/other/app").backend("ghcr"))
            .push(
                Target.to("ghcr.io/third/app")
                    .backend("ghcr")
                    .credentials(CredentialSource.of("octocat", "ghp_classic")))
            .plan();
    assertEquals(2, plan.problems().size(), plan::toString);
    assertTrue(plan.problems().get(0).contains("ghcr.io/<owner>/<image>"), plan::toString);
    assertTrue(
        plan.problems()
            .get(1)
            .contains("GITHUB_TOKEN can publish packages of acme only, not of other"),
        plan::toString);
  }

  @Test
  @DisplayName(
      "turns GHCR's 403 on a push into a final failure, after one try, that names the missing"
          + " permission")
  void refine(@TempDir Path folder) throws Exception {
    try (LocalRegistry registry = LocalRegistry.plain().start();
        FaultInjectingProxy ghcr =
            FaultInjectingProxy.inFrontOf(registry.host())
                .answer(
                    Integer.MAX_VALUE,
                    ProxyRequest::isManifestUpload,
                    ScriptedResponse.json(
                        403,
                        "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"permission_denied:"
                            + " write_package\"}]}"))
                .start()) {
      PushReport report =
          Pipeline.prepare(ACTIONS)
              .image(TestImages.smallApp(folder, "denied"))
              .push(Target.to(ghcr.host() + "/acme/app").allowPlainHttp().backend("ghcr"))
              .run();

      TargetResult result = report.results().get(0);
      assertEquals(TargetStatus.FAILED, result.status(), report::toString);
      assertEquals(1, result.attempts(), report::toString);
      assertTrue(result.detail().startsWith("GHCR refused the push ("), result::detail);
      assertTrue(result.detail().contains("answered 403 DENIED"), result::detail);
      assertTrue(result.detail().contains("permissions: packages: write"), result::detail);
      assertEquals(1, ghcr.requestCount(event -> event.status() == 403));
    }
  }

  private static Plan plan(Environment environment, Target target) {
    return Pipeline.prepare(environment).image(Jib.fromScratch()).push(target).plan();
  }
}
