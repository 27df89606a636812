package dev.fanout.gar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.PipelineBuilder;
import dev.fanout.Plan;
import dev.fanout.PushReport;
import dev.fanout.Target;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.RegistryChecker;
import dev.fanout.testkit.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes through real google-auth (a service account key whose {@code token_uri} is a stub on
 * 127.0.0.1) and the Artifact Registry REST calls against the same stub, into a real local registry
 * whose htpasswd user is {@code oauth2accesstoken} with the stub's token; what lands there is read
 * back independently. Targets keep their real Artifact Registry names.
 */
@DisplayName("Pushing to Artifact Registry")
class GarPushTest {

  static final String EUROPE = "europe-docker.pkg.dev";
  static final String IMAGES = "projects/acme/locations/europe/repositories/images";
  static final String TAG = "1.4.2";

  private static final String TOKEN = "ya29.gar-push-test-token-5d1c";

  @RegisterExtension
  static final LocalRegistryExtension registry =
      LocalRegistryExtension.withBasicAuth(GarBackend.TOKEN_USER, TOKEN);

  @TempDir Path folder;
  private GoogleStub stub;
  private Path key;

  @BeforeEach
  void startStub() throws Exception {
    stub = GoogleStub.start(GoogleFixtures.keys().getPublic(), TOKEN);
    key = GoogleFixtures.serviceAccountKey(folder.resolve("gcp"), stub.tokenUri());
  }

  @AfterEach
  void stopStub() {
    stub.close();
  }

  static Target gar(String path) {
    return Target.to(EUROPE + "/" + path).allowPlainHttp();
  }

  private Environment environment() {
    return GoogleFixtures.environment(key, stub, registry.host(), folder.resolve("home"));
  }

  private PipelineBuilder pipeline(String greeting) throws Exception {
    return Pipeline.prepare(environment())
        .image(TestImages.smallApp(Files.createTempDirectory(folder, "image"), greeting))
        .tags(TAG);
  }

  private static Optional<String> landed(String repository) throws Exception {
    return RegistryChecker.manifestDigest(registry.host(), repository, TAG, registry.credentials());
  }

  @Test
  @DisplayName(
      "pushes with a service account's token to an existing repository and reports the Artifact"
          + " Registry name")
  void pushesWithServiceAccountToken() throws Exception {
    stub.withDockerRepository(IMAGES);
    PipelineBuilder pipeline = pipeline("push").push(gar("acme/images/app"));
    Plan plan = pipeline.plan();
    PushReport report = pipeline.run();

    TargetResult result = report.results().get(0);
    assertEquals(TargetStatus.PUSHED, result.status(), report::toString);
    assertEquals(EUROPE + "/acme/images/app", plan.targets().get(0).reference());
    assertEquals(EUROPE + "/acme/images/app", result.reference());
    assertEquals("gar", result.backend());
    assertEquals(report.digest(), landed("acme/images/app"));
    assertTrue(result.detail().contains("pushed through " + registry.host()), result::detail);
    assertEquals(1, stub.tokenRequests());
    assertEquals(List.of(GoogleCredentialChain.CLOUD_PLATFORM), stub.scopes());
    assertEquals(1, stub.calls(GoogleStub.GET));
    assertEquals(List.of("Bearer " + TOKEN), stub.authorizations());
  }

  @Test
  @DisplayName(
      "fails a missing repository with its name and the gcloud command that creates it, and pushes"
          + " nothing")
  void missingRepository() throws Exception {
    PushReport report = pipeline("missing").push(gar("acme/images/absent")).run();

    TargetResult result = report.results().get(0);
    assertEquals(TargetStatus.FAILED, result.status(), report::toString);
    assertTrue(
        result
            .detail()
            .contains(
                "Artifact Registry repository 'images' (project acme, location europe) does not"
                    + " exist"),
        result::detail);
    assertTrue(
        result
            .detail()
            .contains(
                "gcloud artifacts repositories create images --repository-format=docker"
                    + " --location=europe --project=acme"),
        result::detail);
    assertTrue(result.detail().contains(GarOptions.CREATE_REPOSITORY + "=true"), result::detail);
    assertEquals(0, stub.calls(GoogleStub.CREATE));
    assertFalse(stub.hasRepository(IMAGES));
    assertEquals(Optional.empty(), landed("acme/images/absent"));
  }

  @Test
  @DisplayName(
      "creates a missing repository exactly once for two targets that opt in, as DOCKER in the"
          + " host's location")
  void createsOnce() throws Exception {
    String tools = "projects/acme/locations/europe/repositories/tools";
    PushReport report =
        pipeline("create")
            .push(gar("acme/tools/app").option(GarOptions.CREATE_REPOSITORY, "true"))
            .push(gar("acme/tools/worker").option(GarOptions.CREATE_REPOSITORY, "true"))
            .run();

    assertEquals(
        List.of(TargetStatus.PUSHED, TargetStatus.PUSHED), statuses(report), report::toString);
    assertEquals(1, stub.calls(GoogleStub.CREATE));
    assertEquals(List.of("repositoryId=tools {\"format\":\"DOCKER\"}"), stub.createRequests());
    assertTrue(stub.hasRepository(tools));
    assertEquals(
        1,
        report.results().stream()
            .filter(
                result -> result.detail().contains("created Artifact Registry repository 'tools'"))
            .count(),
        report::toString);
    assertEquals(report.digest(), landed("acme/tools/app"));
    assertEquals(report.digest(), landed("acme/tools/worker"));
  }

  @Test
  @DisplayName("makes one token request for two targets in the same location")
  void oneTokenRequest() throws Exception {
    stub.withDockerRepository(IMAGES)
        .withDockerRepository("projects/acme/locations/europe/repositories/web");
    PushReport report =
        pipeline("two").push(gar("acme/images/api")).push(gar("acme/web/site")).run();

    assertEquals(
        List.of(TargetStatus.PUSHED, TargetStatus.PUSHED), statuses(report), report::toString);
    assertEquals(1, stub.tokenRequests());
    assertEquals(2, stub.calls(GoogleStub.GET));
    assertEquals(report.digest(), landed("acme/images/api"));
    assertEquals(report.digest(), landed("acme/web/site"));
  }

  @Test
  @DisplayName(
      "gets a new token when the registry refuses the first one (401), and never prints either")
  void renewsRefusedToken() throws Exception {
    String refused = "ya29.refused-token-0b7e";
    stub.withDockerRepository(IMAGES).issue(refused, TOKEN);
    PushReport report = pipeline("renew").push(gar("acme/images/renewed")).run();

    TargetResult result = report.results().get(0);
    assertEquals(TargetStatus.PUSHED, result.status(), report::toString);
    assertEquals(2, result.attempts(), report::toString);
    assertEquals(2, stub.tokenRequests());
    assertEquals(report.digest(), landed("acme/images/renewed"));
    assertFalse(report.toString().contains(refused), report::toString);
    assertFalse(report.toString().contains(TOKEN), report::toString);
  }

  @Test
  @DisplayName(
      "fails a permission denial with the service account's email and the role a push needs")
  void permissionDenied() throws Exception {
    stub.withDockerRepository(IMAGES).denyReads();
    PushReport report = pipeline("denied").push(gar("acme/images/denied")).run();

    TargetResult result = report.results().get(0);
    assertEquals(TargetStatus.FAILED, result.status(), report::toString);
    assertTrue(
        result.detail().contains("service account " + GoogleFixtures.CLIENT_EMAIL), result::detail);
    assertTrue(result.detail().contains(GarBackend.WRITER_ROLE), result::detail);
    assertTrue(
        result
            .detail()
            .contains(
                "gcloud artifacts repositories add-iam-policy-binding images --location=europe"
                    + " --project=acme --member=serviceAccount:"
                    + GoogleFixtures.CLIENT_EMAIL),
        result::detail);
    assertEquals(Optional.empty(), landed("acme/images/denied"));
    assertFalse(report.toString().contains(TOKEN), report::toString);
  }

  private static List<TargetStatus> statuses(PushReport report) {
    return report.results().stream().map(TargetResult::status).toList();
  }
}
