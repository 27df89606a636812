package dev.fanout.internal;

import dev.fanout.HostHold;
import dev.fanout.RequestRetry;
import dev.fanout.RetryPolicy;
import dev.fanout.internal.transport.RequestRunner;
import dev.fanout.spi.RegistryFailure;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries each HTTP request of one target's push on its own, under the target's retry policy: a
 * push never starts over because one request failed.
 *
 * <p>For every failed request the answer is classified and refined by the backend; a retryable one
 * is tried again after the policy's backoff, or after the registry's {@code Retry-After} when that
 * is longer (it is a floor, never a cap). A 429 or 503 with {@code Retry-After} also holds every
 * other request to the same host. No wait runs past the target's deadline: a wait that would
 * ends the target at once, saying why. A host whose breaker is open is not tried at all.
 *
 * <p>Each retry and each host hold is told to the run's listeners ({@link RunEvents}) as it
 * happens, so a console shows them without an SLF4J provider; the same is logged at INFO.
 */
final class RequestRetries implements RequestRunner {

  private static final Logger LOG = LoggerFactory.getLogger(RequestRetries.class);

  private final Refiner refiner;
  private final RetryPolicy policy;
  private final HostGuards.Guard host;
  private final FailureClassifier classifier;
  private final Clock clock;
  private final Instant deadline;
  private final String subject;
  private final RunEvents events;
  private final Consumer<String> targetLog;
  private final Map<String, Integer> tries = new ConcurrentHashMap<>();
  private volatile int mostTries;
  private volatile long waitedMillis;
  private volatile RegistryFailure lastRetried;

  /**
   * Retries for one target, whose deadline starts now.
   *
   * @param refiner the target's backend applied to each failure
   * @param policy the target's retry policy
   * @param host the target's host guard
   * @param classifier classifies failures
   * @param clock the run's clock
   * @param subject the target's name, or {@link dev.fanout.Progress#BUILD} for the image source
   * @param events the run's listeners, told of each retry and host hold
   * @param targetLog receives a line for each failed try, for the target's log
   */
  RequestRetries(
      Refiner refiner,
      RetryPolicy policy,
      HostGuards.Guard host,
      FailureClassifier classifier,
      Clock clock,
      String subject,
      RunEvents events,
      Consumer<String> targetLog) {
    this.refiner = refiner;
    this.policy = policy;
    this.host = host;
    this.classifier = classifier;
    this.clock = clock;
    this.deadline = clock.instant().plus(policy.deadline());
    this.subject = subject;
    this.events = events;
    this.targetLog = targetLog;
  }

  @Override
  public <T> T run(String what, Exchange<T> exchange) throws IOException, InterruptedException {
    int tried = 0;
    while (true) {
      awaitHost(what);
      if (!host.admits()) {
        throw new TargetFailure(classifier.unanswered(host.refusal()).permanent(host.refusal()));
      }
      tried = countTry(what);
      long started = System.nanoTime();
      try {
        T result = exchange.send();
        host.record(started, null);
        return result;
      } catch (TargetFailure e) {
        throw e;
      } catch (IOException e) {
        RegistryFailure failure = refiner.refine(classifier.classify(e), tried, deadline);
        host.record(started, failure);
        holdHostIfAsked(failure);
        targetLog.accept(
            "try " + tried + " of " + policy.maxAttempts() + " failed: " + failure.message());
        Duration wait = waitBefore(what, failure, tried);
        events.requestRetried(
            new RequestRetry(subject, what, failure.message(), wait, tried, policy.maxAttempts()));
        LOG.info(
            "retrying {} in {} after {}, try {} of {}",
            what,
            seconds(wait),
            failure.message(),
            tried + 1,
            policy.maxAttempts());
        lastRetried = failure;
        sleep(wait);
      }
    }
  }

  /** Spaces manifest uploads out per the host's manifest-upload limit, each try counting once. */
  @Override
  public <T> T runManifestUpload(String what, Exchange<T> exchange)
      throws IOException, InterruptedException {
    return run(
        what,
        () -> {
          waitedMillis += host.throttle().toMillis();
          return exchange.send();
        });
  }

  /**
   * The most tries any one request needed: 1 when nothing was retried. A request sent again after
   * the target was readied anew counts as another try of the same request.
   */
  int attempts() {
    return mostTries;
  }

  /** The time spent waiting to retry, shared host holds included. */
  Duration waited() {
    return Duration.ofMillis(waitedMillis);
  }

  /**
   * Applies what a target's backend knows to a failed request ({@link
   * dev.fanout.spi.RegistryBackend#refine}).
   */
  @FunctionalInterface
  interface Refiner {

    /** A refiner for requests no backend knows more of, such as an image source's. */
    Refiner NONE = (failure, attempt, deadline) -> failure;

    /**
     * The failure to act on.
     *
     * @param failure the failure as classified
     * @param attempt the try of the failed request, 1 for its first
     * @param deadline the target's deadline
     * @return the refined failure
     */
    RegistryFailure refine(RegistryFailure failure, int attempt, Instant deadline);
  }

  /**
   * When the target's retry deadline passes.
   *
   * @return the deadline, fixed when these retries were made
   */
  Instant deadline() {
    return deadline;
  }

  /** The last failure that was retried, for the report of a push that got through. */
  Optional<RegistryFailure> lastRetried() {
    return Optional.ofNullable(lastRetried);
  }

  private synchronized int countTry(String what) {
    int count = tries.merge(what, 1, Integer::sum);
    mostTries = Math.max(mostTries, count);
    return count;
  }

  /** The wait before the next try, or the failure that ends the target. */
  private Duration waitBefore(String what, RegistryFailure failure, int tried)
      throws TargetFailure {
    if (!failure.retryable()) {
      throw new TargetFailure(failure);
    }
    if (tried >= policy.maxAttempts()) {
      throw new TargetFailure(
          failure.permanent(
              failure.message()
                  + " ("
                  + what
                  + "; gave up after "
                  + tried
                  + (tried == 1 ? " try" : " tries")
                  + ", the policy's limit)"));
    }
    Duration wait = backoff(tried);
    if (failure.retryAfter().isPresent() && failure.retryAfter().get().compareTo(wait) > 0) {
      wait = failure.retryAfter().get();
    }
    if (clock.instant().plus(wait).isAfter(deadline)) {
      throw new TargetFailure(
          failure.permanent(
              "gave up after "
                  + failure.message()
                  + ": waiting "
                  + seconds(wait)
                  + (failure.retryAfter().isPresent() ? " as Retry-After asks" : "")
                  + " would pass the target's deadline of "
                  + seconds(policy.deadline())));
    }
    return wait;
  }

  /** Waits for the host's shared hold, unless it lasts past this target's deadline. */
  private void awaitHost(String what) throws InterruptedException, TargetFailure {
    Instant until = host.heldUntil();
    if (until.isAfter(deadline)) {
      throw new TargetFailure(
          classifier
              .unanswered(host.name() + " asked every client to wait")
              .permanent(
                  "not sent: "
                      + what
                      + ": "
                      + host.name()
                      + " asked to wait until "
                      + until
                      + ", past the target's deadline of "
                      + seconds(policy.deadline())));
    }
    Duration waited = Duration.between(clock.instant(), until);
    if (!waited.isNegative() && !waited.isZero()) {
      sleep(waited);
    }
  }

  private void sleep(Duration wait) throws InterruptedException {
    waitedMillis += wait.toMillis();
    TimeUnit.MILLISECONDS.sleep(Math.max(0, wait.toMillis()));
  }

  /**
   * A 429 or 503 that names a {@code Retry-After} holds the whole host: the registry is saying
   * that it, not one request, needs the pause.
   */
  private void holdHostIfAsked(RegistryFailure failure) {
    int status = failure.status().orElse(0);
    if ((status == 429 || status == 503) && failure.retryAfter().isPresent()) {
      Duration wait = failure.retryAfter().get();
      host.holdUntil(clock.instant().plus(wait));
      events.hostHeld(new HostHold(host.name(), subject, wait, failure.message()));
    }
  }

  private Duration backoff(int tried) {
    Duration base = policy.backoffAfter(tried);
    double spread = policy.jitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
    return Duration.ofMillis(Math.max(0, Math.round(base.toMillis() * (1 + spread))));
  }

  static String seconds(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : String.format("%.1f s", millis / 1000.0);
  }

  /**
   * Ends a target's push: the request is not retried, and {@link #failure()} says why. An {@link
   * IOException} so that it passes through the transport unchanged.
   */
  static final class TargetFailure extends IOException {

    private final transient RegistryFailure failure;

    TargetFailure(RegistryFailure failure) {
      super(failure.message(), null);
      this.failure = failure;
    }

    RegistryFailure failure() {
      return failure;
    }
  }
}
