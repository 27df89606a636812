package dev.fanout.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.PushReport;
import dev.fanout.RetryPolicy;
import dev.fanout.Target;
import dev.fanout.TargetResult;
import dev.fanout.testkit.FaultInjectingProxy;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.ProxyEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's acceptance: a 72 MiB image of three layers lands with the default retry policy in
 * every one of 8 tries through each fault front, faults picked anew on every try. Each try pushes
 * to a repository of its own, so no try finds the blobs of an earlier one.
 */
@DisplayName("A 72 MiB image of three layers, pushed with the default retry policy through faults")
class LargeImageUnderFaultsTest {

  @RegisterExtension
  static final LocalRegistryExtension REGISTRY =
      LocalRegistryExtension.withBasicAuth("robot", "large-image-password");

  private static final String TAG = "1.0.0";

  /** A safety net only: a healthy try takes seconds, the policy's own deadline is 10 minutes. */
  private static final long MINUTES_PER_TRY = 4;

  /** Faults injected over all tries of a front, checked once all have run. */
  private static final AtomicInteger UNAVAILABLE_ANSWERS = new AtomicInteger();

  private static final AtomicInteger UNAVAILABLE_TRIES = new AtomicInteger();
  private static final AtomicInteger RATE_LIMITED_ANSWERS = new AtomicInteger();
  private static final AtomicInteger RATE_LIMITED_TRIES = new AtomicInteger();

  @TempDir static Path shared;

  private static List<Path> layers;

  @BeforeAll
  static void writeLayers() throws Exception {
    layers = ThreeLayerImages.writeLarge(Files.createDirectories(shared.resolve("files")));
  }

  /**
   * Each front injects faults at random, so one try may meet none; over all tries a front that
   * injected nothing would mean the tries proved nothing. At 30 % of ~15 requests a try, 8 tries
   * meet ~40 faults; fewer than one a try has a chance far below one in a billion.
   */
  @AfterAll
  static void everyFrontInjectedFaults() {
    assertTrue(
        UNAVAILABLE_ANSWERS.get() >= UNAVAILABLE_TRIES.get(),
        UNAVAILABLE_ANSWERS + " answers of 503 in " + UNAVAILABLE_TRIES + " tries");
    assertTrue(
        RATE_LIMITED_ANSWERS.get() >= RATE_LIMITED_TRIES.get(),
        RATE_LIMITED_ANSWERS + " answers of 429 in " + RATE_LIMITED_TRIES + " tries");
  }

  @RepeatedTest(value = 8, name = "{displayName} ({currentRepetition} of {totalRepetitions})")
  @Timeout(value = MINUTES_PER_TRY, unit = TimeUnit.MINUTES)
  @DisplayName(
      "~30 % of all requests answered 503 with Retry-After: 1, picked at random: pushed, and the"
          + " registry serves the report's digest")
  void randomUnavailable(RepetitionInfo repetition) throws Exception {
    try (FaultInjectingProxy front =
        FaultInjectingProxy.inFrontOf(REGISTRY.host())
            .failShareOfRequests(0.3, 503, Duration.ofSeconds(1))
            .start()) {
      String repository = "unavailable/app-" + repetition.getCurrentRepetition();
      PushReport report = push(front, repository);

      TargetResult result = report.results().get(0);
      ReadBack.assertServed(report, result, REGISTRY, repository, TAG);
      assertAttemptsShowRetries(result, front);
      UNAVAILABLE_TRIES.incrementAndGet();
      UNAVAILABLE_ANSWERS.addAndGet(front.faults().size());
    }
  }

  @RepeatedTest(value = 8, name = "{displayName} ({currentRepetition} of {totalRepetitions})")
  @Timeout(value = MINUTES_PER_TRY, unit = TimeUnit.MINUTES)
  @DisplayName(
      "a limit of 2 requests/s with a burst of 2 on every request, answering 429 with Retry-After:"
          + " 1: pushed, and the registry serves the report's digest")
  void rateLimited(RepetitionInfo repetition) throws Exception {
    try (FaultInjectingProxy front =
        FaultInjectingProxy.inFrontOf(REGISTRY.host())
            .limitRate(2, 2, Duration.ofSeconds(1))
            .start()) {
      String repository = "limited/app-" + repetition.getCurrentRepetition();
      PushReport report = push(front, repository);

      TargetResult result = report.results().get(0);
      ReadBack.assertServed(report, result, REGISTRY, repository, TAG);
      assertAttemptsShowRetries(result, front);
      RATE_LIMITED_TRIES.incrementAndGet();
      RATE_LIMITED_ANSWERS.addAndGet(front.faults().size());
    }
  }

  @Test
  @Timeout(value = MINUTES_PER_TRY, unit = TimeUnit.MINUTES)
  @DisplayName(
      "a connection dropped after 1 MiB of a layer upload: pushed, the upload retried, and the"
          + " registry serves every blob with its digest")
  void droppedMidBlob() throws Exception {
    try (FaultInjectingProxy front =
        FaultInjectingProxy.inFrontOf(REGISTRY.host()).dropBlobUploads(1, 1024 * 1024).start()) {
      String repository = "dropped/app";
      PushReport report = push(front, repository);

      TargetResult result = report.results().get(0);
      ReadBack.assertServed(report, result, REGISTRY, repository, TAG);
      assertEquals(
          List.of(ProxyEvent.Action.DROPPED_BLOB_UPLOAD),
          front.faults().stream().map(ProxyEvent::action).toList());
      assertTrue(result.attempts() >= 2, report::toString);
      assertEquals(4, ReadBack.assertEveryBlobServed(REGISTRY, repository, TAG).size());
    }
  }

  private static PushReport push(FaultInjectingProxy front, String repository) throws IOException {
    return Pipeline.prepare(Environment.of(Map.of()))
        .image(ThreeLayerImages.image(layers))
        .tags(TAG)
        .retryPolicy(RetryPolicy.ofDefaults())
        .layerCache(shared.resolve("layer-cache"))
        .push(
            Target.to(front.host() + "/" + repository)
                .allowPlainHttp()
                .credentials(CredentialSource.of(REGISTRY.username(), REGISTRY.password())))
        .run();
  }

  /**
   * A target's attempts are the most tries any one request of its push needed: 1 when the front
   * answered every request, at least 2 (and within the policy) when it refused one, and then the
   * push waited at least the front's Retry-After of 1 s.
   */
  private static void assertAttemptsShowRetries(TargetResult result, FaultInjectingProxy front) {
    if (front.faults().isEmpty()) {
      assertEquals(1, result.attempts(), result::toString);
      return;
    }
    assertTrue(
        result.attempts() >= 2 && result.attempts() <= RetryPolicy.ofDefaults().maxAttempts(),
        () -> result + " after " + front.faults().size() + " faults");
    assertTrue(
        result.waited().compareTo(Duration.ofSeconds(1)) >= 0,
        () -> result + " after " + front.faults().size() + " faults");
  }
}
