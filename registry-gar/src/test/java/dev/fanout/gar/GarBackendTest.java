package dev.fanout.gar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.RegistryCredential;
import dev.fanout.RetryPolicy;
import dev.fanout.spi.PushContext;
import dev.fanout.spi.PushDestination;
import dev.fanout.spi.RegistryFailure;
import dev.fanout.spi.TargetSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend's own decisions, driven through its SPI methods: readying targets against the stubbed
 * token and API endpoints (no registry), explaining failures built as the retry engine builds them,
 * and the retry policy for Artifact Registry's quotas.
 */
@DisplayName("The Artifact Registry backend")
class GarBackendTest {

  private static final String TOKEN = "ya29.backend-test";
  private static final String ENDPOINT = "127.0.0.1:5999";

  @TempDir Path folder;
  private GoogleStub stub;
  private Environment environment;

  @BeforeEach
  void start() throws Exception {
    stub = GoogleStub.start(GoogleFixtures.keys().getPublic(), TOKEN);
    Path key = GoogleFixtures.serviceAccountKey(folder, stub.tokenUri());
    environment = GoogleFixtures.environment(key, stub, ENDPOINT, folder.resolve("home"));
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  private static GarBackend backend() {
    return new GarBackend(Clock.systemUTC(), GoogleCredentialChain::new, GoogleFixtures.FAST_API);
  }

  private static TargetSpec target(String reference, Map<String, String> options) throws Exception {
    return new TargetSpec(
        ImageReference.parse(reference), List.of("1.0"), Optional.empty(), true, options);
  }

  private static Environment with(Environment base, String name, String value) {
    return variable -> variable.equals(name) ? Optional.of(value) : base.get(variable);
  }

  @Test
  @DisplayName(
      "readies a target with the token as oauth2accesstoken's password, at the endpoint override,"
          + " under its own path")
  void readiesDestination() throws Exception {
    stub.withDockerRepository(GarPushTest.IMAGES);
    PushDestination destination =
        backend().prepare(target("europe-docker.pkg.dev/acme/images/app", Map.of()), environment);

    assertEquals(ENDPOINT + "/acme/images/app", destination.endpoint().toString());
    RegistryCredential credential = destination.credential().orElseThrow();
    assertEquals(GarBackend.TOKEN_USER, credential.username());
    assertEquals(TOKEN, credential.secret());
    assertEquals(
        List.of("pushed through " + ENDPOINT + " (FANOUT_GAR_REGISTRY_ENDPOINT)"),
        destination.notes());
  }

  @Test
  @DisplayName("fills each target's location into a {location} endpoint override")
  void locationPlaceholder() throws Exception {
    stub.withDockerRepository("projects/acme/locations/us/repositories/gcr.io");
    Environment psc =
        with(
            environment, GarEndpoints.REGISTRY_ENDPOINT, "{location}-docker.example.internal:5000");
    PushDestination destination = backend().prepare(target("gcr.io/acme/app", Map.of()), psc);
    assertEquals("us-docker.example.internal:5000/acme/app", destination.endpoint().toString());
  }

  @Test
  @DisplayName(
      "uses GOOGLE_OAUTH_ACCESS_TOKEN for the API and the registry without a token request")
  void explicitToken() throws Exception {
    stub.withDockerRepository(GarPushTest.IMAGES);
    Map<String, String> variables = new HashMap<>();
    variables.put(GoogleCredentialChain.ACCESS_TOKEN, "ya29.given");
    variables.put(GoogleCredentialChain.NO_GCE_CHECK, "true");
    variables.put(GarEndpoints.API_ENDPOINT, stub.endpoint());
    PushDestination destination =
        backend()
            .prepare(
                target("europe-docker.pkg.dev/acme/images/app", Map.of()),
                Environment.of(variables));

    assertEquals("ya29.given", destination.credential().orElseThrow().secret());
    assertEquals(List.of("Bearer ya29.given"), stub.authorizations());
    assertEquals(0, stub.tokenRequests());
    assertEquals("europe-docker.pkg.dev/acme/images/app", destination.endpoint().toString());
  }

  @Test
  @DisplayName("pushes a target that names its own credential with it, without any API call")
  void ownCredential() throws Exception {
    TargetSpec target =
        new TargetSpec(
            ImageReference.parse("europe-docker.pkg.dev/acme/images/app"),
            List.of("1.0"),
            Optional.of(CredentialSource.of("_json_key", "{\"type\":\"service_account\"}")),
            false,
            Map.of());
    PushDestination destination = backend().prepare(target, environment);

    assertEquals("_json_key", destination.credential().orElseThrow().username());
    assertTrue(
        destination
            .notes()
            .contains("pushed with the target's own credential; the repository was not checked"));
    assertEquals(0, stub.tokenRequests());
    assertEquals(List.of(), stub.authorizations());
  }

  @Test
  @DisplayName("checks a repository once per run for all its targets")
  void checksOncePerRun() throws Exception {
    stub.withDockerRepository(GarPushTest.IMAGES);
    GarBackend backend = backend();
    backend.prepare(target("europe-docker.pkg.dev/acme/images/app", Map.of()), environment);
    backend.prepare(target("europe-docker.pkg.dev/acme/images/worker", Map.of()), environment);
    assertEquals(1, stub.calls(GoogleStub.GET));
    assertEquals(1, stub.tokenRequests());
  }

  @Test
  @DisplayName("refuses a repository that is not a standard Docker repository")
  void unusableRepository() throws Exception {
    stub.withRepository(GarPushTest.IMAGES, "MAVEN", "STANDARD_REPOSITORY")
        .withRepository(
            "projects/acme/locations/europe/repositories/cache", "DOCKER", "REMOTE_REPOSITORY");
    IOException maven =
        assertThrows(
            IOException.class,
            () ->
                backend()
                    .prepare(
                        target("europe-docker.pkg.dev/acme/images/app", Map.of()), environment));
    assertTrue(
        maven
            .getMessage()
            .endsWith("holds MAVEN packages, not Docker images; push to a Docker repository"),
        maven::getMessage);
    IOException remote =
        assertThrows(
            IOException.class,
            () ->
                backend()
                    .prepare(
                        target("europe-docker.pkg.dev/acme/cache/app", Map.of()), environment));
    assertTrue(
        remote.getMessage().contains("is a REMOTE_REPOSITORY, which serves pulls only"),
        remote::getMessage);
  }

  @Test
  @DisplayName("names the gcloud command that enables the API when it is disabled in the project")
  void apiDisabled() throws Exception {
    stub.disableApi();
    IOException failure =
        assertThrows(
            IOException.class,
            () ->
                backend()
                    .prepare(
                        target("europe-docker.pkg.dev/acme/images/app", Map.of()), environment));
    assertTrue(
        failure
            .getMessage()
            .startsWith(
                "the Artifact Registry API is not enabled in project acme: gcloud services enable"
                    + " artifactregistry.googleapis.com --project=acme"),
        failure::getMessage);
  }

  @Test
  @DisplayName(
      "names the admin role when the principal may not create the repository it opted to create")
  void createDenied() throws Exception {
    stub.denyCreates();
    IOException failure =
        assertThrows(
            IOException.class,
            () ->
                backend()
                    .prepare(
                        target(
                            "europe-docker.pkg.dev/acme/images/app",
                            Map.of(GarOptions.CREATE_REPOSITORY, "true")),
                        environment));
    assertTrue(
        failure
            .getMessage()
            .startsWith(
                "permission denied: service account "
                    + GoogleFixtures.CLIENT_EMAIL
                    + " may not create Artifact Registry repository 'images' (project acme,"
                    + " location europe); creating repositories needs roles/artifactregistry.admin"
                    + " on project acme"),
        failure::getMessage);
  }

  @Test
  @DisplayName(
      "makes a registry's 403 final, naming the principal, the repository and the role a push"
          + " needs")
  void refinesPermissionDenied() throws Exception {
    stub.withDockerRepository(GarPushTest.IMAGES);
    GarBackend backend = backend();
    TargetSpec target = target("europe-docker.pkg.dev/acme/images/app", Map.of());
    PushDestination destination = backend.prepare(target, environment);
    RegistryFailure denied =
        new RegistryFailure(
            OptionalInt.of(403),
            List.of("DENIED"),
            Map.of(),
            Optional.empty(),
            false,
            "HTTP 403 Forbidden PUT http://" + ENDPOINT + "/v2/acme/images/app/manifests/1.0");

    RegistryFailure refined = backend.refine(denied, context(target, destination));

    assertFalse(refined.retryable());
    assertTrue(
        refined
            .message()
            .startsWith(
                "permission denied: service account "
                    + GoogleFixtures.CLIENT_EMAIL
                    + " may not push to Artifact Registry repository 'images' (project acme,"
                    + " location europe); a push needs roles/artifactregistry.writer on the"
                    + " repository or its project: gcloud artifacts repositories"
                    + " add-iam-policy-binding images --location=europe --project=acme"
                    + " --member=serviceAccount:"
                    + GoogleFixtures.CLIENT_EMAIL
                    + " --role=roles/artifactregistry.writer"),
        refined::message);
    assertTrue(refined.message().endsWith("(" + denied.message() + ")"), refined::message);
  }

  @Test
  @DisplayName("makes a missing repository during the push final, with the command that creates it")
  void refinesNameUnknown() throws Exception {
    GarBackend backend = backend();
    TargetSpec own =
        new TargetSpec(
            ImageReference.parse("gcr.io/acme/app"),
            List.of("1.0"),
            Optional.of(CredentialSource.of(GarBackend.TOKEN_USER, "ya29.own")),
            false,
            Map.of());
    PushDestination destination = backend.prepare(own, environment);
    RegistryFailure missing =
        new RegistryFailure(
            OptionalInt.of(404),
            List.of("NAME_UNKNOWN"),
            Map.of(),
            Optional.empty(),
            false,
            "HTTP 404 Not Found HEAD http://" + ENDPOINT + "/v2/acme/app/blobs/sha256:0f");

    RegistryFailure refined = backend.refine(missing, context(own, destination));

    assertFalse(refined.retryable());
    assertTrue(
        refined
            .message()
            .contains(
                "Artifact Registry repository 'gcr.io' (project acme, location us) does not exist"
                    + " (NAME_UNKNOWN); create it with: gcloud artifacts repositories create gcr.io"
                    + " --repository-format=docker --location=us --project=acme"),
        refined::message);
  }

  @Test
  @DisplayName(
      "renews the access token after a registry's 401 without checking the repository again")
  void renewsAfterUnauthorized() throws Exception {
    stub.withDockerRepository(GarPushTest.IMAGES).issue(TOKEN, "ya29.renewed");
    GarBackend backend = backend();
    TargetSpec target = target("europe-docker.pkg.dev/acme/images/app", Map.of());
    PushDestination refused = backend.prepare(target, environment);
    assertEquals(TOKEN, refused.credential().orElseThrow().secret());
    int repositoryReads = stub.calls(GoogleStub.GET);

    assertEquals(
        "ya29.renewed",
        backend.renewCredential(target, refused, environment).orElseThrow().secret());
    assertEquals(2, stub.tokenRequests());
    assertEquals(repositoryReads, stub.calls(GoogleStub.GET));
  }

  @Test
  @DisplayName("leaves a 429 to the retry policy")
  void leaves429() throws Exception {
    RegistryFailure quota =
        new RegistryFailure(
            OptionalInt.of(429),
            List.of("TOOMANYREQUESTS"),
            Map.of(),
            Optional.empty(),
            true,
            "HTTP 429");
    TargetSpec target = target("europe-docker.pkg.dev/acme/images/app", Map.of());
    assertSame(
        quota,
        backend()
            .refine(
                quota, context(target, new PushDestination(target.reference(), Optional.empty()))));
  }

  @Test
  @DisplayName("widens the retry policy so that a per-minute quota can be waited out")
  void retryPolicy() {
    assertEquals(
        RetryPolicy.DEFAULT_MAX_ATTEMPTS,
        backend().retryPolicy(RetryPolicy.ofDefaults()).maxAttempts(),
        "the default tries already span the quota window");
    RetryPolicy widened = backend().retryPolicy(RetryPolicy.custom().maxAttempts(5).build());
    assertEquals(Duration.ofSeconds(60), widened.maxBackoff());
    assertEquals(7, widened.maxAttempts());
    Duration total = Duration.ZERO;
    for (int attempt = 1; attempt < widened.maxAttempts(); attempt++) {
      total = total.plus(widened.backoffAfter(attempt));
    }
    assertEquals(Duration.ofSeconds(63), total);
    assertEquals(RetryPolicy.ofDefaults().deadline(), widened.deadline());

    RetryPolicy patient =
        RetryPolicy.custom().maxBackoff(Duration.ofMinutes(2)).maxAttempts(9).build();
    assertEquals(Duration.ofMinutes(2), backend().retryPolicy(patient).maxBackoff());
    assertEquals(9, backend().retryPolicy(patient).maxAttempts());

    RetryPolicy none = RetryPolicy.noRetries();
    assertSame(none, backend().retryPolicy(none));
  }

  private static PushContext context(TargetSpec target, PushDestination destination) {
    return new PushContext(target, destination, 1, Instant.now().plus(Duration.ofMinutes(10)));
  }
}
