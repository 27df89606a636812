package dev.fanout.dockerhub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.fanout.RegistryCredential;
import dev.fanout.RetryPolicy;
import dev.fanout.spi.PushContext;
import dev.fanout.spi.PushDestination;
import dev.fanout.spi.TargetSpec;
import dev.fanout.spi.RegistryFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The dockerhub backend's refinement of failed attempts")
class PullLimitRefineTest {

  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  private static final String MESSAGE =
      "HTTP 429 Too Many Requests"
          + " (GET https://registry-1.docker.io/v2/library/eclipse-temurin/manifests/21)";

  private final DockerHubBackend backend = new DockerHubBackend(Clock.fixed(NOW, ZoneOffset.UTC));

  /** A push logged in as acme, whose deadline passes ten minutes from now. */
  private final PushContext loggedIn =
      context(Optional.of(RegistryCredential.of("acme", "s3cret")));

  /** An anonymous push, as through a mirror that needs no login. */
  private final PushContext anonymous = context(Optional.empty());

  @Test
  @DisplayName(
      "makes a spent pull quota of a logged-in push final at once, with the limit, the reset, the"
          + " account and a fix that asks for no variable already set")
  void spentQuotaWithLongReset() {
    RegistryFailure refined =
        backend.refine(
            tooManyRequests(
                Map.of(
                    "ratelimit-limit", "100;w=21600",
                    "ratelimit-remaining", "0;w=21600",
                    "docker-ratelimit-source", "192.0.2.1"),
                Optional.of(Duration.ofHours(3))),
            loggedIn);

    assertFalse(refined.retryable());
    String message = refined.message();
    assertTrue(message.contains("all 100 pulls of the 6 h window are used for 192.0.2.1"), message);
    assertTrue(message.contains("They free up in 3 h, at about 2026-11-27 15:00 UTC"), message);
    assertTrue(
        message.contains("after this target's retry deadline at about 2026-11-27 12:10 UTC"),
        message);
    assertTrue(
        message.contains("The push logs in as acme, so the spent quota is that account's"),
        message);
    assertFalse(message.contains("DOCKERHUB_"), message);
    assertFalse(message.contains("base image"), message);
  }

  @Test
  @DisplayName("tells an anonymous push to log in with the DOCKERHUB_* variables")
  void anonymousPush() {
    RegistryFailure refined =
        backend.refine(
            tooManyRequests(
                Map.of("ratelimit-limit", "100;w=21600", "ratelimit-remaining", "0;w=21600"),
                Optional.of(Duration.ofHours(3))),
            anonymous);

    assertTrue(
        refined.message().contains("The push is anonymous, so the spent quota is this address's."
            + " Fix: log in for an account's own quota (set DOCKERHUB_USERNAME and"
            + " DOCKERHUB_TOKEN)"),
        refined.message());
  }

  @Test
  @DisplayName("reads the end of the window as the reset when Docker Hub sends no Retry-After")
  void spentQuotaWithoutRetryAfter() {
    RegistryFailure refined =
        backend.refine(
            tooManyRequests(
                Map.of("ratelimit-limit", "200;w=21600", "ratelimit-remaining", "0;w=21600"),
                Optional.empty()),
            loggedIn);

    assertFalse(refined.retryable());
    assertTrue(
        refined.message().contains("Docker Hub gave no reset time; pulls free up as they age out"
            + " of the 6 h window, by 2026-11-27 18:00 UTC at the latest"),
        refined.message());
    assertTrue(refined.message().contains("all 200 pulls"), refined.message());
  }

  @Test
  @DisplayName("leaves a spent quota that resets before the deadline to the retry engine")
  void spentQuotaWithShortReset() {
    RegistryFailure failure =
        tooManyRequests(
            Map.of("ratelimit-limit", "100;w=21600", "ratelimit-remaining", "0;w=21600"),
            Optional.of(Duration.ofSeconds(2)));
    assertSame(failure, backend.refine(failure, loggedIn));
  }

  @Test
  @DisplayName("weighs the reset against the target's deadline it is told with the failure")
  void usesTheConfiguredDeadline() {
    RegistryFailure failure =
        tooManyRequests(
            Map.of("ratelimit-limit", "100;w=21600", "ratelimit-remaining", "0;w=21600"),
            Optional.of(Duration.ofHours(3)));
    RetryPolicy patient = RetryPolicy.custom().deadline(Duration.ofHours(4)).build();
    assertSame(patient, backend.retryPolicy(patient));
    assertSame(failure, backend.refine(failure, context(Duration.ofHours(4))));

    RegistryFailure refined = backend.refine(failure, context(Duration.ofMinutes(30)));
    assertFalse(refined.retryable());
    assertTrue(
        refined.message().contains("retry deadline at about 2026-11-27 12:30 UTC"),
        refined.message());
  }

  @Test
  @DisplayName("leaves alone a 429 with pulls left, such as the abuse limit")
  void pullsLeft() {
    RegistryFailure failure =
        tooManyRequests(
            Map.of("ratelimit-limit", "100;w=21600", "ratelimit-remaining", "12;w=21600"),
            Optional.of(Duration.ofSeconds(60)));
    assertSame(failure, backend.refine(failure, loggedIn));
  }

  @Test
  @DisplayName("leaves alone a 429 without Docker Hub's rate-limit headers")
  void plainTooManyRequests() {
    RegistryFailure failure = tooManyRequests(Map.of(), Optional.empty());
    assertSame(failure, backend.refine(failure, loggedIn));
  }

  @Test
  @DisplayName("leaves alone failures that are not 429")
  void otherStatuses() {
    Map<String, String> headers = new HashMap<>();
    headers.put("ratelimit-remaining", "0;w=21600");
    RegistryFailure unavailable =
        new RegistryFailure(
            OptionalInt.of(503), List.of(), headers, Optional.empty(), true, "HTTP 503");
    RegistryFailure refused =
        new RegistryFailure(
            OptionalInt.empty(), List.of(), Map.of(), Optional.empty(), true, "connection refused");
    assertSame(unavailable, backend.refine(unavailable, loggedIn));
    assertSame(refused, backend.refine(refused, loggedIn));
  }

  @Test
  @DisplayName("keeps the status, headers and codes of the failure it makes final")
  void keepsTheFacts() {
    RegistryFailure failure =
        tooManyRequests(
            Map.of("ratelimit-limit", "100;w=21600", "ratelimit-remaining", "0;w=21600"),
            Optional.of(Duration.ofHours(1)));
    RegistryFailure refined = backend.refine(failure, loggedIn);
    assertEquals(OptionalInt.of(429), refined.status());
    assertEquals(List.of("TOOMANYREQUESTS"), refined.errorCodes());
    assertEquals(Optional.of("0;w=21600"), refined.header("RateLimit-Remaining"));
    assertEquals(Optional.of(Duration.ofHours(1)), refined.retryAfter());
  }

  private static PushContext context(Optional<RegistryCredential> credential) {
    return new PushContext(
        target(),
        new PushDestination(target().reference(), credential),
        1,
        NOW.plus(Duration.ofMinutes(10)));
  }

  private PushContext context(Duration deadline) {
    return new PushContext(
        target(), loggedIn.destination(), 1, NOW.plus(deadline));
  }

  private static TargetSpec target() {
    return new TargetSpec(
        ImageReference.of("registry-1.docker.io", "acme/app", null),
        List.of("1.0"),
        Optional.empty(),
        false);
  }

  private static RegistryFailure tooManyRequests(
      Map<String, String> headers, Optional<Duration> retryAfter) {
    return new RegistryFailure(
        OptionalInt.of(429), List.of("TOOMANYREQUESTS"), headers, retryAfter, true, MESSAGE);
  }
}
