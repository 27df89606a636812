package dev.fanout.gar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.cloud.tools.jib.api.ImageReference;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The REST calls against the stub, with a sleeper that records waits instead of sleeping. */
@DisplayName("The Artifact Registry API calls")
class ArtifactRegistryApiTest {

  private static final String TOKEN = "ya29.api-test";

  private GoogleStub stub;
  private final List<Long> waits = new CopyOnWriteArrayList<>();
  private final AtomicInteger invalidations = new AtomicInteger();
  private GarName images;

  @BeforeEach
  void start() throws Exception {
    stub = GoogleStub.start(GoogleFixtures.keys().getPublic(), TOKEN);
    images =
        GarName.parse(ImageReference.parse("europe-docker.pkg.dev/acme/images/app"))
            .name()
            .orElseThrow();
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  private ArtifactRegistryApi api() {
    return new ArtifactRegistryApi(
        URI.create(stub.endpoint()),
        new NetHttpTransport(),
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
        Optional.empty(),
        waits::add);
  }

  @Test
  @DisplayName("read a repository's format and mode, and a missing one as empty")
  void readsRepository() throws Exception {
    stub.withRepository(GarPushTest.IMAGES, "MAVEN", "STANDARD_REPOSITORY");
    assertEquals(
        Optional.of(new ArtifactRegistryApi.RepositoryInfo("MAVEN", "STANDARD_REPOSITORY")),
        api().repository(images));
    GarName absent =
        GarName.parse(ImageReference.parse("europe-docker.pkg.dev/acme/absent/app"))
            .name()
            .orElseThrow();
    assertEquals(Optional.empty(), api().repository(absent));
    assertEquals(List.of("Bearer " + TOKEN, "Bearer " + TOKEN), stub.authorizations());
  }

  @Test
  @DisplayName(
      "retry 429 and 503 answers after waits that double, and give up after about a minute")
  void retriesQuotaAndServerErrors() throws Exception {
    stub.withDockerRepository(GarPushTest.IMAGES).failReads(429, 503);
    assertTrue(api().repository(images).isPresent());
    assertEquals(List.of(1000L, 2000L), waits);

    waits.clear();
    stub.failReads(503, 503, 503, 503, 503, 503, 503);
    ApiFailure failure = assertThrows(ApiFailure.class, () -> api().repository(images));
    assertEquals(503, failure.httpStatus());
    assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16000L, 30000L), waits);
    assertEquals(61_000L, waits.stream().mapToLong(Long::longValue).sum());
  }

  @Test
  @DisplayName("fetch a new token once after a 401, then report the refusal")
  void renewsTokenOnce() throws Exception {
    stub.failReads(401, 401);
    ApiFailure failure = assertThrows(ApiFailure.class, () -> api().repository(images));
    assertEquals(401, failure.httpStatus());
    assertEquals(1, invalidations.get());
    assertEquals(2, stub.calls(GoogleStub.GET));
  }

  @Test
  @DisplayName("create a DOCKER repository and follow an operation that is not done yet")
  void createsAndFollowsOperation() throws Exception {
    stub.createPending();
    assertTrue(api().createRepository(images));
    assertEquals(List.of("repositoryId=images {\"format\":\"DOCKER\"}"), stub.createRequests());
    assertEquals(1, stub.calls(GoogleStub.OPERATION));
    assertEquals(List.of(500L), waits);
    assertTrue(stub.hasRepository(GarPushTest.IMAGES));
  }

  @Test
  @DisplayName(
      "count a repository another client created meanwhile (409 ALREADY_EXISTS) as existing")
  void alreadyExists() throws Exception {
    stub.withDockerRepository(GarPushTest.IMAGES);
    assertFalse(api().createRepository(images));
  }

  @Test
  @DisplayName("carry Google's status, reason and message in a failure")
  void failureDetails() throws Exception {
    stub.disableApi();
    ApiFailure failure = assertThrows(ApiFailure.class, () -> api().repository(images));
    assertEquals(403, failure.httpStatus());
    assertEquals("PERMISSION_DENIED", failure.status());
    assertEquals(Optional.of(GarBackend.SERVICE_DISABLED), failure.reason());
    assertTrue(
        failure
            .getMessage()
            .startsWith("GET projects/acme/locations/europe/repositories/images answered 403"));
  }
}
