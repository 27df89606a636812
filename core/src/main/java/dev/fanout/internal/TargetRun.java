package dev.fanout.internal;

import dev.fanout.Environment;
import dev.fanout.RetryPolicy;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.internal.Planner.PlannedPush;
import dev.fanout.spi.PushDestination;
import dev.fanout.spi.TargetSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries one enabled target through a run: ready it with its backend, warm up a plain-HTTP
 * registry's connection while the image builds, wait for the one build, push within the host's
 * bounds and the retry policy, and check that the target holds the run's one digest. Every failure
 * becomes a FAILED result; none escapes to stop the other targets.
 */
final class TargetRun implements Callable<TargetResult> {

  private static final Logger LOG = LoggerFactory.getLogger(TargetRun.class);

  private final PlannedPush planned;
  private final String name;
  private final RunContext run;

  TargetRun(PlannedPush planned, RunContext run) {
    this.planned = planned;
    this.name = Names.repository(planned.target().reference());
    this.run = run;
  }

  @Override
  public TargetResult call() {
    long started = System.nanoTime();
    TargetResult result;
    try {
      result = carryThrough(started);
    } catch (RuntimeException e) {
      result = failed(started, 0, Duration.ZERO, "unexpected failure: " + Failures.describe(e));
    }
    run.events().targetFinished(result);
    return result;
  }

  private TargetResult carryThrough(long started) {
    PushDestination destination;
    try {
      destination = prepare();
    } catch (Exception e) {
      return failed(
          started, 0, Duration.ZERO, "could not ready the target: " + Failures.describe(e));
    }
    if (planned.target().plainHttp() && !run.built().isDone()) {
      RegistryWarmUp.start(destination.endpoint().getRegistry());
    }
    try {
      run.built().join();
    } catch (RuntimeException e) {
      return failed(
          started, 0, Duration.ZERO, "not pushed, the image build failed: " + Failures.describe(e));
    }
    TargetSpec target = planned.target();
    HostGuards.Guard host =
        run.hosts()
            .of(destination.endpoint().getRegistry(), planned.backend().manifestUploadsPerSecond());
    RetryPolicy policy = planned.backend().retryPolicy(run.retryPolicy());
    LOG.info("pushing {} (tags {})", name, String.join(", ", target.tags()));
    PushAttempts.Outcome outcome =
        new PushAttempts(
                name,
                target.tags().size(),
                planned.backend(),
                policy,
                host,
                run.classifier(),
                run.clock())
            .run(destination, this::prepare, this::attempt);
    if (outcome.digest().isEmpty()) {
      return failed(started, outcome.attempts(), outcome.waited(), outcome.reason());
    }
    String pushedDigest = outcome.digest().get();
    String imageDigest = run.imageDigest().agree(pushedDigest);
    if (!pushedDigest.equals(imageDigest)) {
      return failed(
          started,
          outcome.attempts(),
          outcome.waited(),
          "the registry holds " + pushedDigest + ", but this run's image is " + imageDigest);
    }
    Duration took = since(started);
    LOG.info("pushed {} {} in {} ms", name, pushedDigest, took.toMillis());
    log("pushed " + pushedDigest + " in " + took.toMillis() + " ms");
    List<String> notes = new ArrayList<>(destination.notes());
    if (outcome.attempts() > 1) {
      outcome.lastFailure().ifPresent(failure -> notes.add("after " + failure.message()));
    }
    return result(
        TargetStatus.PUSHED,
        Optional.of(pushedDigest),
        outcome.attempts(),
        took,
        outcome.waited(),
        run.redactor().scrub(String.join("; ", notes)));
  }

  private PushDestination prepare() throws Exception {
    PushDestination destination = planned.backend().prepare(planned.target(), run.environment());
    destination.credential().ifPresent(credential -> run.redactor().register(credential.secret()));
    log(
        "readied: push to "
            + Names.repository(destination.endpoint())
            + destination
                .credential()
                .map(credential -> " as " + credential.username())
                .orElse(" anonymously")
            + " with tags "
            + String.join(", ", planned.target().tags()));
    return destination;
  }

  /** One push, whose failure goes to the target's log before the retry engine weighs it. */
  private String attempt(PushDestination ready) throws Exception {
    TargetSpec target = planned.target();
    try {
      return run.jibPush().push(ready, target.tags(), target.plainHttp(), name, planned.name());
    } catch (Exception e) {
      log("attempt failed: " + run.redactor().scrub(Failures.describe(e)));
      throw e;
    }
  }

  private void log(String line) {
    run.events().targetLog(planned.name(), line);
  }

  private TargetResult failed(long started, int attempts, Duration waited, String reason) {
    String detail = run.redactor().scrub(reason);
    LOG.warn("failed {}: {}", name, detail);
    log("failed: " + detail);
    return result(TargetStatus.FAILED, Optional.empty(), attempts, since(started), waited, detail);
  }

  private TargetResult result(
      TargetStatus status,
      Optional<String> digest,
      int attempts,
      Duration took,
      Duration waited,
      String detail) {
    return new TargetResult(
        name,
        planned.backendId(),
        status,
        planned.target().tags(),
        digest,
        attempts,
        took,
        waited,
        detail,
        planned.name(),
        planned.optional());
  }

  private static Duration since(long started) {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /**
   * What every target of a run shares.
   *
   * @param environment the pipeline's environment
   * @param built completes when the image is built: its layers are cached, and for a tarball build
   *     the digest is known
   * @param imageDigest the digest every target must hold
   * @param jibPush pushes with the shared layer cache
   * @param hosts the per-host bounds, shared backoff and circuit breakers
   * @param retryPolicy the pipeline's retry policy, before backends adjust it
   * @param classifier classifies failed attempts
   * @param clock the run's clock
   * @param redactor scrubs secrets from what is reported
   * @param events the caller's run listeners
   */
  record RunContext(
      Environment environment,
      CompletableFuture<Void> built,
      ImageDigest imageDigest,
      JibPush jibPush,
      HostGuards hosts,
      RetryPolicy retryPolicy,
      FailureClassifier classifier,
      Clock clock,
      Redactor redactor,
      RunEvents events) {}
}
