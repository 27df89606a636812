package dev.fanout.gar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Jib;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.Plan;
import dev.fanout.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Planning Artifact Registry targets")
class GarPlanTest {

  @TempDir Path folder;

  private static Plan plan(Environment environment, Target... targets) {
    var pipeline = Pipeline.prepare(environment).image(Jib.fromScratch());
    for (Target target : targets) {
      pipeline.push(target);
    }
    return pipeline.plan();
  }

  private static boolean has(List<String> problems, String fragment) {
    return problems.stream().anyMatch(problem -> problem.contains(fragment));
  }

  @Test
  @DisplayName("reports every problem at once without a token request or an API call")
  void everyProblemAtOnce() throws Exception {
    try (GoogleStub stub = GoogleStub.start(GoogleFixtures.keys().getPublic(), "never-issued")) {
      Environment environment =
          Environment.of(
              Map.of(
                  GoogleCredentialChain.APPLICATION_CREDENTIALS,
                  GoogleFixtures.serviceAccountKey(folder, stub.tokenUri()).toString(),
                  GarEndpoints.API_ENDPOINT,
                  "http://artifactregistry.example.com",
                  GarEndpoints.REGISTRY_ENDPOINT,
                  "https://registry.example.com/v2"));
      Plan plan =
          plan(
              environment,
              Target.to("mirror.gcr.io/acme/app"),
              Target.to("europe-docker.pkg.dev/acme/images"),
              Target.to("europe-docker.pkg.dev/acme/images/typo").option("gar.createRepo", "true"),
              Target.to("europe-docker.pkg.dev/acme/images/value")
                  .option(GarOptions.CREATE_REPOSITORY, "yes"),
              Target.to("europe-docker.pkg.dev/acme/images/plain").allowPlainHttp(),
              Target.to("europe-docker.pkg.dev/acme/images/own")
                  .credentials(CredentialSource.of(GarBackend.TOKEN_USER, "ya29.own-token"))
                  .option(GarOptions.CREATE_REPOSITORY, "true"));

      List<String> problems = plan.problems();
      assertTrue(
          has(problems, "mirror.gcr.io is not an Artifact Registry host that takes pushes"),
          problems::toString);
      assertTrue(has(problems, "names no image inside a repository"), problems::toString);
      assertTrue(has(problems, "unknown option 'gar.createRepo'"), problems::toString);
      assertTrue(
          has(problems, "option gar.createRepository takes true or false, not 'yes'"),
          problems::toString);
      assertTrue(
          has(
              problems,
              "its credential (Google access token as user oauth2accesstoken) would be sent over"
                  + " plain HTTP to europe-docker.pkg.dev, which is not this machine"),
          problems::toString);
      assertTrue(
          has(problems, "gar.createRepository=true needs Google credentials"), problems::toString);
      assertTrue(
          has(
              problems,
              "a credential for "
                  + GarEndpoints.API_ENDPOINT
                  + " would be sent over plain HTTP to artifactregistry.example.com"),
          problems::toString);
      assertTrue(
          has(problems, GarEndpoints.REGISTRY_ENDPOINT + " must be a registry host"),
          problems::toString);
      assertEquals(0, stub.tokenRequests());
      assertEquals(List.of(), stub.authorizations());
      assertTrue(plan.problems().stream().noneMatch(problem -> problem.contains("ya29.own-token")));
    }
  }

  @Test
  @DisplayName(
      "accepts plain HTTP with a loopback registry endpoint and keeps the real name in the plan")
  void plainHttpToLoopback() {
    Plan plan =
        plan(
            Environment.of(
                Map.of(
                    GarEndpoints.REGISTRY_ENDPOINT, "127.0.0.1:5000",
                    GarEndpoints.API_ENDPOINT, "http://127.0.0.1:5001")),
            Target.to("europe-docker.pkg.dev/acme/images/app:1.0").allowPlainHttp(),
            Target.to("gcr.io/acme/app").option(GarOptions.CREATE_REPOSITORY, "true"));

    assertEquals(List.of(), plan.problems());
    assertEquals("europe-docker.pkg.dev/acme/images/app", plan.targets().get(0).reference());
    assertEquals("gar", plan.targets().get(0).backend());
    assertEquals("gcr.io/acme/app", plan.targets().get(1).reference());
  }

  @Test
  @DisplayName(
      "skips a target whose googleCredentialsPresent() condition does not hold, saying what is"
          + " missing")
  void conditionSkips() {
    Plan plan =
        Pipeline.prepare(
                Environment.of(
                    Map.of(GoogleCredentialChain.NO_GCE_CHECK, "true", "HOME", folder.toString())))
            .image(Jib.fromScratch())
            .when(GarConditions.googleCredentialsPresent())
            .push("europe-docker.pkg.dev/acme/images/app")
            .plan();

    assertEquals(List.of(), plan.problems());
    assertFalse(plan.targets().get(0).enabled());
    String reason = plan.targets().get(0).reason();
    assertTrue(reason.contains("GOOGLE_OAUTH_ACCESS_TOKEN is not set"), reason);
    assertTrue(reason.contains("GOOGLE_APPLICATION_CREDENTIALS is not set"), reason);
    assertTrue(reason.contains("the metadata server is not asked (NO_GCE_CHECK=true)"), reason);
  }
}
