package dev.fanout.internal;

import dev.fanout.spi.RegistryFailure;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What all targets on one registry host share during a run: a bound on concurrent pushes, one
 * hold after a 429 or 503 with {@code Retry-After} (every pending request waits for it, not N
 * independent backoffs), an optional rate of manifest uploads, and a circuit breaker that stops
 * hammering a host that does not answer.
 */
final class HostGuards {

  /**
   * Consecutive requests without an answer after which a host's remaining requests fail fast. Five
   * refused or timed-out requests in a row, across the host's targets, mean the host is very likely
   * down.
   */
  static final int CONSECUTIVE_FAILURES_TO_OPEN = 5;

  /** How long a host's remaining requests fail fast once its breaker opened. */
  static final Duration OPEN_FOR = Duration.ofSeconds(60);

  /**
   * How long a push may wait for a manifest-upload permit. Longer than any sane queue: the
   * target's own deadline is what bounds a run.
   */
  private static final Duration RATE_WAIT_LIMIT = Duration.ofHours(1);

  private final int pushesPerHost;
  private final Map<String, Integer> manifestUploadLimits;
  private final Clock clock;
  private final Map<String, Guard> guards = new ConcurrentHashMap<>();

  HostGuards(int pushesPerHost, Map<String, Integer> manifestUploadLimits, Clock clock) {
    this.pushesPerHost = pushesPerHost;
    this.manifestUploadLimits = manifestUploadLimits;
    this.clock = clock;
  }

  /**
   * The guard of a host, made on first use.
   *
   * @param host the registry host
   * @param backendLimit the manifest-upload limit the host's backend knows; the caller's own limit
   *     for the host wins
   * @return the guard
   */
  Guard of(String host, OptionalInt backendLimit) {
    return guards.computeIfAbsent(
        host,
        key ->
            new Guard(
                key,
                Optional.ofNullable(manifestUploadLimits.get(key))
                    .map(OptionalInt::of)
                    .orElse(backendLimit)));
  }

  /** The shared state of one host. */
  final class Guard {

    private final String host;
    private final Semaphore slots = new Semaphore(pushesPerHost, true);
    private final AtomicReference<Instant> notBefore = new AtomicReference<>(Instant.MIN);
    private final AtomicReference<String> lastFailure = new AtomicReference<>("");
    private final CircuitBreaker breaker;
    private final Optional<RateLimiter> manifestUploads;

    private Guard(String host, OptionalInt manifestUploadsPerSecond) {
      this.host = host;
      this.manifestUploads =
          manifestUploadsPerSecond.isPresent()
              ? Optional.of(
                  RateLimiter.of(
                      host,
                      RateLimiterConfig.custom()
                          .limitForPeriod(manifestUploadsPerSecond.getAsInt())
                          .limitRefreshPeriod(Duration.ofSeconds(1))
                          .timeoutDuration(RATE_WAIT_LIMIT)
                          .build()))
              : Optional.empty();
      this.breaker =
          CircuitBreaker.of(
              host,
              CircuitBreakerConfig.custom()
                  .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                  .slidingWindowSize(CONSECUTIVE_FAILURES_TO_OPEN)
                  .minimumNumberOfCalls(CONSECUTIVE_FAILURES_TO_OPEN)
                  .failureRateThreshold(100)
                  .waitDurationInOpenState(OPEN_FOR)
                  .build());
    }

    /** The host's name, with its port. */
    String name() {
      return host;
    }

    /** The instant before which no request may go to this host, after a 429 or 503 asked. */
    Instant heldUntil() {
      return notBefore.get();
    }

    /**
     * Waits for a permit to upload one manifest, when the host has a limit.
     *
     * @return how long it waited
     */
    Duration throttle() {
      if (manifestUploads.isEmpty()) {
        return Duration.ZERO;
      }
      long started = System.nanoTime();
      if (!manifestUploads.get().acquirePermission()) {
        throw new IllegalStateException(
            "no manifest-upload permit for " + host + " within " + RATE_WAIT_LIMIT);
      }
      return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Makes every request to this host wait until {@code until}. */
    void holdUntil(Instant until) {
      notBefore.accumulateAndGet(until, (current, next) -> next.isAfter(current) ? next : current);
    }

    /** Whether the host may be tried; false while its breaker is open. */
    boolean admits() {
      return breaker.tryAcquirePermission();
    }

    /** Why the host is not tried. */
    String refusal() {
      return "not sent: "
          + host
          + " did not answer "
          + CONSECUTIVE_FAILURES_TO_OPEN
          + " requests in a row (last: "
          + lastFailure.get()
          + "), so its circuit breaker is open and its requests fail fast for "
          + OPEN_FOR.toSeconds()
          + " s";
    }

    /**
     * Records a request's outcome for the breaker. Only a host that does not answer at all
     * (refused, reset, timed out) counts as failing: any HTTP answer, a 429 or 503 included, shows
     * the host is up, and whether to try again is the retry policy's call.
     */
    void record(long startedNanos, RegistryFailure failure) {
      long took = System.nanoTime() - startedNanos;
      if (failure != null && failure.retryable() && failure.status().isEmpty()) {
        lastFailure.set(failure.message());
        breaker.onError(took, TimeUnit.NANOSECONDS, new HostFailure(failure.message()));
      } else {
        breaker.onSuccess(took, TimeUnit.NANOSECONDS);
      }
    }

    <T> T withSlot(Callable<T> work) throws Exception {
      slots.acquire();
      try {
        return work.call();
      } finally {
        slots.release();
      }
    }
  }

  /** What the breaker records: a message, no stack, no secret. */
  private static final class HostFailure extends Exception {
    HostFailure(String message) {
      super(message, null, false, false);
    }
  }
}
