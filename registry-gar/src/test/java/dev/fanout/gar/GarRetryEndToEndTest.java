package dev.fanout.gar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Pipeline;
import dev.fanout.PushReport;
import dev.fanout.RetryPolicy;
import dev.fanout.Target;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.testkit.FaultInjectingProxy;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.RegistryChecker;
import dev.fanout.testkit.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend's retry policy and refinements inside Fanout's retry engine, with the testkit's
 * fault-injecting proxy between Jib and a real registry standing in for Artifact Registry's
 * answers.
 */
@DisplayName("Artifact Registry's answers in the retry engine")
class GarRetryEndToEndTest {

  private static final String TOKEN = "ya29.retry-test-token-8a2f";

  /** Short waits, so that the test spends about 1.5 s in backoff; jitter off for a steady sum. */
  private static final RetryPolicy FIVE_QUICK_ATTEMPTS =
      RetryPolicy.custom().maxAttempts(5).initialBackoff(Duration.ofMillis(50)).jitter(0).build();

  @RegisterExtension
  static final LocalRegistryExtension registry =
      LocalRegistryExtension.withBasicAuth(GarBackend.TOKEN_USER, TOKEN);

  @TempDir Path folder;
  private GoogleStub stub;
  private Path key;

  @BeforeEach
  void startStub() throws Exception {
    stub =
        GoogleStub.start(GoogleFixtures.keys().getPublic(), TOKEN)
            .withDockerRepository(GarPushTest.IMAGES);
    key = GoogleFixtures.serviceAccountKey(folder.resolve("gcp"), stub.tokenUri());
  }

  @AfterEach
  void stopStub() {
    stub.close();
  }

  private PushReport push(FaultInjectingProxy proxy, String image) throws Exception {
    return Pipeline.prepare(
            GoogleFixtures.environment(key, stub, proxy.host(), folder.resolve("home")))
        .image(TestImages.smallApp(Files.createTempDirectory(folder, "image"), image))
        .tags("1.0")
        .retryPolicy(FIVE_QUICK_ATTEMPTS)
        .push(Target.to(GarPushTest.EUROPE + "/acme/images/" + image).allowPlainHttp())
        .run();
  }

  @Test
  @DisplayName("rides out more 429s than the configured attempts, as a per-minute quota needs")
  void outlastsQuota() throws Exception {
    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.inFrontOf(registry.host()).failManifestUploads(5, 429).start()) {
      PushReport report = push(proxy, "quota");

      TargetResult result = report.results().get(0);
      assertEquals(TargetStatus.PUSHED, result.status(), report::toString);
      assertEquals(6, result.attempts(), report::toString);
      assertEquals(5, proxy.requestCount(event -> event.status() == 429));
      assertEquals(
          report.digest(),
          RegistryChecker.manifestDigest(
              registry.host(), "acme/images/quota", "1.0", registry.credentials()));
    }
  }

  @Test
  @DisplayName(
      "fails a registry's 403 at once, naming the service account and the role a push needs")
  void permissionDeniedOnPush() throws Exception {
    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.inFrontOf(registry.host()).failManifestUploads(1, 403).start()) {
      PushReport report = push(proxy, "forbidden");

      TargetResult result = report.results().get(0);
      assertEquals(TargetStatus.FAILED, result.status(), report::toString);
      assertEquals(1, result.attempts(), report::toString);
      assertTrue(
          result
              .detail()
              .startsWith(
                  "permission denied: service account "
                      + GoogleFixtures.CLIENT_EMAIL
                      + " may not push to Artifact Registry repository 'images' (project acme,"
                      + " location europe); a push needs roles/artifactregistry.writer"),
          result::detail);
    }
  }
}
