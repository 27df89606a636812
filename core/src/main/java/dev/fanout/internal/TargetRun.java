package dev.fanout.internal;

import dev.fanout.Environment;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.internal.Planner.PlannedPush;
import dev.fanout.spi.PushDestination;
import dev.fanout.spi.TargetSpec;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries one enabled target through a run: ready it with its backend, wait for the one build,
 * push within the host's bound, and check the digest. Every failure becomes a FAILED result; none
 * escapes to stop the other targets.
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
    TargetSpec target = planned.target();
    PushDestination destination;
    try {
      destination = planned.backend().prepare(target, run.environment());
    } catch (Exception e) {
      return failed(started, 0, "could not ready the target: " + Failures.describe(e));
    }
    destination.credential().ifPresent(credential -> run.redactor().register(credential.secret()));
    String builtDigest;
    try {
      builtDigest = run.build().join();
    } catch (RuntimeException e) {
      return failed(started, 0, "not pushed, the image build failed: " + Failures.describe(e));
    }
    LOG.info("pushing {} (tags {})", name, String.join(", ", target.tags()));
    String pushedDigest;
    try {
      pushedDigest =
          run.hostLimits()
              .withSlot(
                  destination.endpoint().getRegistry(),
                  () -> run.jibPush().push(destination, target.tags(), target.plainHttp(), name));
    } catch (Exception e) {
      return failed(started, 1, Failures.describe(e));
    }
    if (!pushedDigest.equals(builtDigest)) {
      return failed(
          started,
          1,
          "the registry holds " + pushedDigest + ", but the image built is " + builtDigest);
    }
    Duration took = since(started);
    LOG.info("pushed {} {} in {} ms", name, pushedDigest, took.toMillis());
    return result(
        TargetStatus.PUSHED, Optional.of(pushedDigest), 1, took, String.join("; ", destination.notes()));
  }

  private TargetResult failed(long started, int attempts, String reason) {
    String detail = run.redactor().scrub(reason);
    LOG.warn("failed {}: {}", name, detail);
    return result(TargetStatus.FAILED, Optional.empty(), attempts, since(started), detail);
  }

  private TargetResult result(
      TargetStatus status, Optional<String> digest, int attempts, Duration took, String detail) {
    return new TargetResult(
        name, planned.backendId(), status, planned.target().tags(), digest, attempts, took, detail);
  }

  private static Duration since(long started) {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /**
   * What every target of a run shares.
   *
   * @param environment the pipeline's environment
   * @param build completes with the built image's digest
   * @param jibPush pushes with the shared layer cache
   * @param hostLimits bounds pushes per host
   * @param redactor scrubs secrets from what is reported
   */
  record RunContext(
      Environment environment,
      CompletableFuture<String> build,
      JibPush jibPush,
      HostLimits hostLimits,
      Redactor redactor) {}

}
