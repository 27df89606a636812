package dev.fanout.dockerhub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Jib;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.Plan;
import dev.fanout.Target;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Planning a Docker Hub target")
class DockerHubPlanTest {

  private static final String TOKEN = "dckr_pat_plan-secret-7Qx";

  @Test
  @DisplayName("accepts a token, or a password when no token is set")
  void acceptsTokenOrPassword() {
    assertEquals(List.of(), plan(Map.of("DOCKERHUB_USERNAME", "acme", "DOCKERHUB_TOKEN", TOKEN),
        Target.to("docker.io/acme/app")).problems());
    assertEquals(List.of(), plan(Map.of("DOCKERHUB_USERNAME", "acme", "DOCKERHUB_PASSWORD", TOKEN),
        Target.to("docker.io/acme/app")).problems());
  }

  @Test
  @DisplayName(
      "reports half-set credential variables instead of pushing anonymously, telling unset from"
          + " set but empty")
  void halfSetCredentials() {
    Plan userOnly = plan(Map.of("DOCKERHUB_USERNAME", "acme"), Target.to("docker.io/acme/app"));
    assertProblem(userOnly, "DOCKERHUB_USERNAME is set, but DOCKERHUB_TOKEN is not set and"
        + " DOCKERHUB_PASSWORD is not set");
    Plan emptyToken =
        plan(
            Map.of("DOCKERHUB_USERNAME", "acme", "DOCKERHUB_TOKEN", ""),
            Target.to("docker.io/acme/app"));
    assertProblem(emptyToken, "DOCKERHUB_USERNAME is set, but DOCKERHUB_TOKEN is set but empty and"
        + " DOCKERHUB_PASSWORD is not set");
    Plan tokenOnly = plan(Map.of("DOCKERHUB_TOKEN", TOKEN), Target.to("docker.io/acme/app"));
    assertProblem(tokenOnly, "DOCKERHUB_TOKEN is set, but DOCKERHUB_USERNAME is not set");
    Plan emptyUser =
        plan(
            Map.of("DOCKERHUB_USERNAME", " ", "DOCKERHUB_TOKEN", TOKEN),
            Target.to("docker.io/acme/app"));
    assertProblem(emptyUser, "DOCKERHUB_TOKEN is set, but DOCKERHUB_USERNAME is set but empty");
    assertFalse(tokenOnly.toString().contains(TOKEN), "the plan printed the token");
  }

  @Test
  @DisplayName("reports every unusable endpoint override at once, before any I/O")
  void badOverrides() {
    Map<String, String> variables = new HashMap<>();
    variables.put("DOCKERHUB_REGISTRY_URL", "http://mirror.example.com");
    variables.put("DOCKERHUB_AUTH_URL", "ftp://auth.example.com/token");
    Plan plan = plan(variables, Target.to("docker.io/acme/app").allowPlainHttp());
    assertProblem(plan, "a credential for DOCKERHUB_REGISTRY_URL would be sent over plain HTTP to"
        + " mirror.example.com, which is not this machine");
    assertProblem(plan, "DOCKERHUB_AUTH_URL must be an http:// or https:// URL");

    Plan withPath = plan(Map.of("DOCKERHUB_REGISTRY_URL", "https://mirror.example.com/v2/"),
        Target.to("docker.io/acme/app"));
    assertProblem(
        withPath, "DOCKERHUB_REGISTRY_URL must be a base URL without a path");
  }

  @Test
  @DisplayName("refuses credentials inside an override URL without printing them")
  void credentialsInUrl() {
    Plan plan =
        plan(
            Map.of("DOCKERHUB_REGISTRY_URL", "https://acme:" + TOKEN + "@mirror.example.com"),
            Target.to("docker.io/acme/app"));
    assertProblem(plan, "DOCKERHUB_REGISTRY_URL must not hold a user or password");
    assertFalse(plan.toString().contains(TOKEN), "the plan printed the token");
  }

  @Test
  @DisplayName("asks for allowPlainHttp() with an http:// loopback override, and only then")
  void plainHttpMatchesTheOverride() {
    Plan missing = plan(Map.of("DOCKERHUB_REGISTRY_URL", "http://127.0.0.1:5000"),
        Target.to("docker.io/acme/app"));
    assertProblem(missing, "DOCKERHUB_REGISTRY_URL is plain HTTP (http://127.0.0.1:5000); allow it"
        + " for this target with Target.allowPlainHttp()");
    Plan needless = plan(Map.of(), Target.to("docker.io/acme/app").allowPlainHttp());
    assertProblem(needless, "allowPlainHttp() does not apply to Docker Hub, which is HTTPS only");
    Plan right = plan(Map.of("DOCKERHUB_REGISTRY_URL", "http://127.0.0.1:5000"),
        Target.to("docker.io/acme/app").allowPlainHttp());
    assertEquals(List.of(), right.problems());
    assertEquals("docker.io/acme/app", right.targets().get(0).reference());
  }

  @Test
  @DisplayName("rejects backend options and an unreadable quota-check switch")
  void optionsAndSwitch() {
    Plan plan = plan(Map.of("DOCKERHUB_QUOTA_CHECK", "sometimes"),
        Target.to("docker.io/acme/app").option("ecr.createRepository", "true"));
    assertProblem(plan, "unknown option 'ecr.createRepository': the dockerhub backend takes no"
        + " options");
    assertProblem(plan, "DOCKERHUB_QUOTA_CHECK must be true or false, not 'sometimes'");
  }

  private static void assertProblem(Plan plan, String expected) {
    assertTrue(plan.problems().stream().anyMatch(problem -> problem.contains(expected)),
        () -> "expected a problem containing '" + expected + "' in " + plan);
  }

  private static Plan plan(Map<String, String> variables, Target target) {
    return Pipeline.prepare(Environment.of(variables)).image(Jib.fromScratch()).push(target).plan();
  }
}
