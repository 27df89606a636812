package dev.fanout.gar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.tools.jib.api.ImageReference;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The generated {@code ArtifactRegistryClient}, on its HTTP/JSON transport, against the stub's REST
 * paths; retries and operation looks wait milliseconds instead of seconds ({@link
 * GoogleFixtures#FAST_API}).
 */
@DisplayName("The Artifact Registry API calls")
class ArtifactRegistryApiTest {

  private static final String TOKEN = "ya29.api-test";

  private GoogleStub stub;
  private final AtomicInteger invalidations = new AtomicInteger();
  private GarName images;

  @BeforeEach
  void start() throws Exception {
    stub = GoogleStub.start(GoogleFixtures.keys().getPublic(), TOKEN);
    images = name("europe-docker.pkg.dev/acme/images/app");
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  private static GarName name(String reference) throws Exception {
    return GarName.parse(ImageReference.parse(reference)).name().orElseThrow();
  }

  private ArtifactRegistryApi api(Optional<String> quotaProject) throws Exception {
    return new ArtifactRegistryApi(
        URI.create(stub.endpoint()),
        new ArtifactRegistryApi.Tokens() {
          @Override
          public String token() {
            return TOKEN;
          }

          @Override
          public void invalidate() {
            invalidations.incrementAndGet();
          }
        },
        quotaProject,
        GoogleFixtures.FAST_API);
  }

  private ArtifactRegistryApi api() throws Exception {
    return api(Optional.empty());
  }

  @Test
  @DisplayName("read a repository's format and mode, and a missing one as empty")
  void readsRepository() throws Exception {
    stub.withRepository(GarPushTest.IMAGES, "MAVEN", "REMOTE_REPOSITORY");
    try (ArtifactRegistryApi api = api()) {
      assertEquals(
          Optional.of(new ArtifactRegistryApi.RepositoryInfo("MAVEN", "REMOTE_REPOSITORY")),
          api.repository(images));
      assertEquals(Optional.empty(), api.repository(name("europe-docker.pkg.dev/acme/absent/app")));
    }
    assertEquals(List.of("Bearer " + TOKEN, "Bearer " + TOKEN), stub.authorizations());
    assertTrue(stub.queries().get(0).contains("enum-encoding"), stub.queries()::toString);
  }

  @Test
  @DisplayName("bill the calls to the credentials' quota project with x-goog-user-project")
  void quotaProject() throws Exception {
    stub.withDockerRepository(GarPushTest.IMAGES);
    try (ArtifactRegistryApi api = api(Optional.of("billing-project"))) {
      assertTrue(api.repository(images).isPresent());
    }
    try (ArtifactRegistryApi api = api()) {
      assertTrue(api.repository(images).isPresent());
    }
    assertEquals(List.of("billing-project", "null"), stub.quotaProjects());
  }

  @Test
  @DisplayName(
      "retry 429 and 503 answers after waits that double, and give up after about a minute")
  void retriesQuotaAndServerErrors() throws Exception {
    stub.withDockerRepository(GarPushTest.IMAGES).failReads(429, 503);
    try (ArtifactRegistryApi api = api()) {
      assertTrue(api.repository(images).isPresent());
      assertEquals(3, stub.calls(GoogleStub.GET));

      stub.failReads(503, 503, 503, 503, 503, 503, 503);
      ApiFailure failure = assertThrows(ApiFailure.class, () -> api.repository(images));
      assertEquals(503, failure.httpStatus());
      assertEquals("UNAVAILABLE", failure.status());
      assertEquals(3 + 7, stub.calls(GoogleStub.GET));
    }
    assertEquals(
        List.of(1000L, 2000L, 4000L, 8000L, 16000L, 30000L),
        waits(ArtifactRegistryApi.CALL_RETRIES));
    assertEquals(61_000L, waits(ArtifactRegistryApi.CALL_RETRIES).stream().mapToLong(w -> w).sum());
  }

  /** The longest waits the settings allow between attempts (gax's jitter only shortens them). */
  private static List<Long> waits(RetrySettings settings) {
    List<Long> waits = new ArrayList<>();
    Duration wait = settings.getInitialRetryDelayDuration();
    for (int attempt = 1; attempt < settings.getMaxAttempts(); attempt++) {
      waits.add(wait.toMillis());
      Duration next =
          Duration.ofMillis((long) (wait.toMillis() * settings.getRetryDelayMultiplier()));
      wait =
          next.compareTo(settings.getMaxRetryDelayDuration()) > 0
              ? settings.getMaxRetryDelayDuration()
              : next;
    }
    return waits;
  }

  @Test
  @DisplayName("fetch a new token once after a 401, then report the refusal")
  void renewsTokenOnce() throws Exception {
    stub.failReads(401, 401);
    try (ArtifactRegistryApi api = api()) {
      ApiFailure failure = assertThrows(ApiFailure.class, () -> api.repository(images));
      assertEquals(401, failure.httpStatus());
    }
    assertEquals(1, invalidations.get());
    assertEquals(2, stub.calls(GoogleStub.GET));
  }

  @Test
  @DisplayName("create a DOCKER repository and follow an operation that is not done yet")
  void createsAndFollowsOperation() throws Exception {
    stub.createPending();
    try (ArtifactRegistryApi api = api()) {
      assertTrue(api.createRepository(images));
    }
    assertEquals(List.of("repositoryId=images {\"format\":\"DOCKER\"}"), stub.createRequests());
    assertEquals(1, stub.calls(GoogleStub.OPERATION));
    assertTrue(stub.hasRepository(GarPushTest.IMAGES));
  }

  @Test
  @DisplayName(
      "count a repository another client created meanwhile (409 ALREADY_EXISTS) as existing")
  void alreadyExists() throws Exception {
    stub.withDockerRepository(GarPushTest.IMAGES);
    try (ArtifactRegistryApi api = api()) {
      assertFalse(api.createRepository(images));
    }
    assertEquals(1, stub.calls(GoogleStub.CREATE));
  }

  @Test
  @DisplayName("count an operation that ends in ALREADY_EXISTS (another client won) as existing")
  void operationAlreadyExists() throws Exception {
    stub.createRaces();
    try (ArtifactRegistryApi api = api()) {
      assertFalse(api.createRepository(images));
    }
    assertEquals(1, stub.calls(GoogleStub.OPERATION));
  }

  @Test
  @DisplayName("carry Google's status, reason and message in a failure")
  void failureDetails() throws Exception {
    stub.disableApi();
    try (ArtifactRegistryApi api = api()) {
      ApiFailure failure = assertThrows(ApiFailure.class, () -> api.repository(images));
      assertEquals(403, failure.httpStatus());
      assertEquals("PERMISSION_DENIED", failure.status());
      assertEquals(Optional.of(RepositoryCheck.SERVICE_DISABLED), failure.reason());
      assertTrue(failure.apiMessage().contains("has not been used in project acme"));
      assertTrue(
          failure
              .getMessage()
              .startsWith("GET projects/acme/locations/europe/repositories/images answered 403"),
          failure::getMessage);
    }
  }
}
