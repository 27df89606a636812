package dev.fanout.examples.ghcr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Jib;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.Plan;
import dev.fanout.Target;
import dev.fanout.spi.RegistryFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

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
  @DisplayName("says how to get GITHUB_TOKEN and GITHUB_ACTOR when they are missing")
  void missingToken() {
    Plan plan = plan(Environment.of(Map.of()), Target.to("ghcr.io/acme/app").backend("ghcr"));
    assertEquals(2, plan.problems().size(), plan::toString);
    assertTrue(plan.problems().get(0).contains("secrets.GITHUB_TOKEN"), plan::toString);
    assertTrue(plan.problems().get(0).contains("packages: write"), plan::toString);
    assertTrue(plan.problems().get(1).contains("GITHUB_ACTOR is not set"), plan::toString);
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
      "turns a refused push into a final failure that names the missing permission, and leaves"
          + " others alone")
  void refine() {
    GhcrBackend backend = new GhcrBackend();
    RegistryFailure denied =
        backend.refine(failure(403, List.of("DENIED"), true, "HTTP 403 Forbidden"));
    assertFalse(denied.retryable());
    assertTrue(denied.message().contains("permissions: packages: write"), denied.message());

    RegistryFailure throttled = failure(429, List.of("TOOMANYREQUESTS"), true, "HTTP 429");
    assertSame(throttled, backend.refine(throttled));
  }

  private static Plan plan(Environment environment, Target target) {
    return Pipeline.prepare(environment).image(Jib.fromScratch()).push(target).plan();
  }

  private static RegistryFailure failure(
      int status, List<String> codes, boolean retryable, String message) {
    return new RegistryFailure(
        OptionalInt.of(status), codes, Map.of(), Optional.<Duration>empty(), retryable, message);
  }
}
