package dev.fanout.dockerhub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.PushReport;
import dev.fanout.Target;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.testkit.FaultInjectingProxy;
import dev.fanout.testkit.RegistryChecker;
import dev.fanout.testkit.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A Docker Hub push that meets the spent pull limit")
class PullLimitEndToEndTest {

  private static LocalDockerHub hub;

  @TempDir Path folder;

  @BeforeAll
  static void startHub() throws Exception {
    hub = LocalDockerHub.start();
  }

  @AfterAll
  static void stopHub() throws Exception {
    hub.close();
  }

  @Test
  @DisplayName(
      "fails at once, after one attempt, saying the limit, when it resets and a fix that fits a"
          + " logged-in push from scratch")
  void longResetFailsAtOnce() throws Exception {
    try (FaultInjectingProxy front =
        DockerHubFront.withSpentQuota(hub.registry().host(), 5, Optional.of(Duration.ofHours(3)))) {
      long started = System.nanoTime();
      PushReport report = push(front, "docker.io/acme/limited");
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      TargetResult result = report.results().get(0);
      assertEquals(TargetStatus.FAILED, result.status(), report::toString);
      assertEquals(1, result.attempts(), report::toString);
      assertEquals(Duration.ZERO, result.waited(), report::toString);
      assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
      String detail = result.detail();
      assertTrue(detail.contains("Docker Hub's pull rate limit is reached: all 100 pulls of the 6 h"
          + " window are used for 192.0.2.1"), detail);
      assertTrue(detail.contains("They free up in 3 h"), detail);
      assertTrue(detail.contains("after this target's retry deadline at about"), detail);
      assertTrue(
          detail.contains(
              "The push logs in as "
                  + LocalDockerHub.USERNAME
                  + ", so the spent quota is that account's"),
          detail);
      assertFalse(detail.contains("DOCKERHUB_"), detail);
      assertFalse(detail.contains("base image"), detail);
      assertEquals(1, DockerHubFront.requests(front, request -> request.status() == 429).size());
    }
  }

  @Test
  @DisplayName("fails at once when Docker Hub gives no reset time, since the window outlasts the"
      + " deadline")
  void noResetTimeFailsAtOnce() throws Exception {
    try (FaultInjectingProxy front =
        DockerHubFront.withSpentQuota(hub.registry().host(), 5, Optional.empty())) {
      PushReport report = push(front, "docker.io/acme/unknown-reset");

      TargetResult result = report.results().get(0);
      assertEquals(TargetStatus.FAILED, result.status(), report::toString);
      assertEquals(1, result.attempts(), report::toString);
      assertTrue(result.detail().contains("Docker Hub gave no reset time"), result::detail);
    }
  }

  @Test
  @DisplayName("is retried and pushed when the 429 asks for a short Retry-After")
  void shortRetryAfterIsRetried() throws Exception {
    try (FaultInjectingProxy front =
        DockerHubFront.withSpentQuota(
            hub.registry().host(), 1, Optional.of(Duration.ofSeconds(1)))) {
      PushReport report = push(front, "docker.io/acme/brief-limit");

      TargetResult result = report.results().get(0);
      assertEquals(TargetStatus.PUSHED, result.status(), report::toString);
      assertEquals(2, result.attempts(), report::toString);
      assertTrue(result.waited().compareTo(Duration.ofSeconds(1)) >= 0, report::toString);
      assertEquals(
          report.digest(),
          Optional.of(
              RegistryChecker.skopeoDigest(
                  hub.registry().host() + "/acme/brief-limit:1.0", hub.credentials())));
      assertEquals(
          2, DockerHubFront.requests(front, event -> event.isManifestUpload()).size());
      assertEquals(
          1,
          DockerHubFront.requests(
                  front, event -> DockerHubFront.isManifest(event) && event.status() == 429)
              .size());
    }
  }

  private PushReport push(FaultInjectingProxy front, String reference) throws Exception {
    Path files = Files.createTempDirectory(folder, "image");
    return Pipeline.prepare(Environment.of(hub.variables(DockerHubFront.url(front))))
        .image(TestImages.smallApp(files, reference))
        .tags("1.0")
        .push(Target.to(reference).allowPlainHttp())
        .run();
  }
}
