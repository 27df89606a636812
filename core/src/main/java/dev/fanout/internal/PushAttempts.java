package dev.fanout.internal;

import dev.fanout.RetryPolicy;
import dev.fanout.spi.PushDestination;
import dev.fanout.spi.RegistryBackend;
import dev.fanout.spi.RegistryFailure;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempts of one target's push under its retry policy, with resilience4j's {@link Retry}
 * doing the looping and waiting.
 *
 * <p>After each failure the attempt is classified and refined by the backend; the decision
 * (another attempt and the wait before it, or stop and why) is taken in resilience4j's retry
 * predicate and the wait handed to its interval function. A 429's {@code Retry-After} also holds
 * every other target on the same host; a wait that would end past the target's deadline stops at
 * once; a 401 gets one more attempt with a freshly readied destination (new token), no more.
 */
final class PushAttempts {

  private static final Logger LOG = LoggerFactory.getLogger(PushAttempts.class);

  private final String name;
  private final int manifestsPerAttempt;
  private final RegistryBackend backend;
  private final RetryPolicy policy;
  private final HostGuards.Guard host;
  private final FailureClassifier classifier;
  private final Clock clock;

  private int attempts;
  private Duration waited = Duration.ZERO;
  private Duration nextWait = Duration.ZERO;
  private RegistryFailure attemptFailure;
  private RegistryFailure lastFailure;
  private String stopReason;
  private boolean reauthenticated;
  private boolean reprepare;

  PushAttempts(
      String name,
      int manifestsPerAttempt,
      RegistryBackend backend,
      RetryPolicy policy,
      HostGuards.Guard host,
      FailureClassifier classifier,
      Clock clock) {
    this.name = name;
    this.manifestsPerAttempt = manifestsPerAttempt;
    this.backend = backend;
    this.policy = policy;
    this.host = host;
    this.classifier = classifier;
    this.clock = clock;
  }

  /** One try of the push, given a destination readied for it. */
  @FunctionalInterface
  interface Attempt {
    String push(PushDestination destination) throws Exception;
  }

  /** Readies (or re-readies, after a 401) the destination. */
  @FunctionalInterface
  interface Preparation {
    PushDestination prepare() throws Exception;
  }

  /**
   * Runs the attempts.
   *
   * @param destination the destination readied before the build
   * @param preparation how to ready it again for a fresh credential
   * @param attempt one push
   * @return the digest pushed, or the failure that ended the attempts
   */
  Outcome run(PushDestination destination, Preparation preparation, Attempt attempt) {
    Instant deadline = clock.instant().plus(policy.deadline());
    Retry retry =
        Retry.of(
            name,
            RetryConfig.<String>custom()
                .maxAttempts(policy.maxAttempts())
                .retryOnException(failure -> shouldRetry(failure, deadline))
                .intervalBiFunction((number, result) -> nextWait.toMillis())
                .build());
    PushDestination[] current = {destination};
    CheckedSupplier<String> once =
        () -> {
          attemptFailure = null;
          if (reprepare) {
            reprepare = false;
            current[0] = preparation.prepare();
          }
          return attemptOnce(current[0], attempt);
        };
    try {
      String digest = Retry.decorateCheckedSupplier(retry, once).get();
      return new Outcome(Optional.of(digest), attempts, waited, Optional.ofNullable(lastFailure), "");
    } catch (Throwable failure) {
      if (failure instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      RegistryFailure last = lastFailure != null ? lastFailure : classifier.classify(failure);
      String reason = stopReason != null ? stopReason : last.message();
      return new Outcome(Optional.empty(), attempts, waited, Optional.of(last), reason);
    }
  }

  private String attemptOnce(PushDestination destination, Attempt attempt) throws Exception {
    return host.withSlot(
        () -> {
          waited = waited.plus(host.awaitGate());
          attempts++;
          if (!host.admits()) {
            throw new HostRefused(host.refusal());
          }
          waited = waited.plus(host.throttle(manifestsPerAttempt));
          long started = System.nanoTime();
          try {
            String digest = attempt.push(destination);
            host.record(started, null);
            return digest;
          } catch (Exception e) {
            RegistryFailure failure = backend.refine(classifier.classify(e));
            attemptFailure = failure;
            holdHostIfAsked(failure);
            host.record(started, failure);
            throw e;
          }
        });
  }

  private boolean shouldRetry(Throwable error, Instant deadline) {
    if (error instanceof HostRefused refused) {
      lastFailure = classifier.classify(error).permanent(refused.getMessage());
      return false;
    }
    RegistryFailure failure =
        attemptFailure != null ? attemptFailure : backend.refine(classifier.classify(error));
    lastFailure = failure;
    if (isUnauthorized(failure) && !reauthenticated && attempts < policy.maxAttempts()) {
      reauthenticated = true;
      reprepare = true;
      nextWait = Duration.ZERO;
      LOG.info(
          "re-authenticating to {} after {}, attempt {} of {}",
          name,
          failure.message(),
          attempts + 1,
          policy.maxAttempts());
      return true;
    }
    if (!failure.retryable() || attempts >= policy.maxAttempts()) {
      return false;
    }
    Duration wait = failure.retryAfter().orElseGet(this::backoff);
    Instant next = clock.instant().plus(wait);
    if (next.isAfter(deadline)) {
      stopReason =
          "gave up after "
              + failure.message()
              + ": waiting "
              + seconds(wait)
              + (failure.retryAfter().isPresent() ? " as Retry-After asks" : "")
              + " would pass the target's deadline of "
              + seconds(policy.deadline());
      return false;
    }
    nextWait = wait;
    waited = waited.plus(wait);
    LOG.info(
        "retrying {} in {} after {}, attempt {} of {}",
        name,
        seconds(wait),
        failure.message(),
        attempts + 1,
        policy.maxAttempts());
    return true;
  }

  /**
   * A 429's {@code Retry-After} holds the whole host, set before this attempt releases its slot so
   * that no other target on the host slips in first.
   */
  private void holdHostIfAsked(RegistryFailure failure) {
    if (failure.status().orElse(0) == 429 && failure.retryAfter().isPresent()) {
      host.holdUntil(clock.instant().plus(failure.retryAfter().get()));
    }
  }

  private Duration backoff() {
    Duration base = policy.backoffAfter(attempts);
    double spread = policy.jitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
    return Duration.ofMillis(Math.max(0, Math.round(base.toMillis() * (1 + spread))));
  }

  private static boolean isUnauthorized(RegistryFailure failure) {
    return failure.status().orElse(0) == 401;
  }

  private static String seconds(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : String.format("%.1f s", millis / 1000.0);
  }

  /**
   * How the attempts ended.
   *
   * @param digest the digest pushed, when they succeeded
   * @param attempts how many were made
   * @param waited the time spent waiting between them, shared host backoff included
   * @param lastFailure the last failure seen, even when a later attempt succeeded
   * @param reason why they stopped, when they failed
   */
  record Outcome(
      Optional<String> digest,
      int attempts,
      Duration waited,
      Optional<RegistryFailure> lastFailure,
      String reason) {}

  /** Thrown instead of attempting a host whose breaker is open. */
  static final class HostRefused extends Exception {
    HostRefused(String message) {
      super(message, null, false, false);
    }
  }
}
