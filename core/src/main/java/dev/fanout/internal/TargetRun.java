package dev.fanout.internal;

import dev.fanout.Environment;
import dev.fanout.RegistryCredential;
import dev.fanout.RetryPolicy;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.internal.Planner.PlannedPush;
import dev.fanout.internal.RequestRetries.TargetFailure;
import dev.fanout.internal.image.ImageInHand;
import dev.fanout.internal.transport.RegistryTransport;
import dev.fanout.internal.transport.RepositoryClient;
import dev.fanout.internal.transport.RepositoryEndpoint;
import dev.fanout.spi.PushContext;
import dev.fanout.spi.PushDestination;
import dev.fanout.spi.RegistryFailure;
import dev.fanout.spi.TargetSpec;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries one enabled target through a run in two steps: {@link #ready()} it with its backend
 * (credential, repository) while the image builds, then {@link #push(ImageUnderway)} the image
 * within the host's bounds, each request retried on its own: each layer as soon as the build has
 * compressed it, the rest once the image is built. Every failure becomes a FAILED result; none
 * escapes to stop the other targets.
 */
final class TargetRun {

  private static final Logger LOG = LoggerFactory.getLogger(TargetRun.class);

  private final PlannedPush planned;
  private final String name;
  private final RunContext run;
  private final long started = System.nanoTime();
  private volatile PushDestination destination;
  private String readyFailure;

  TargetRun(PlannedPush planned, RunContext run) {
    this.planned = planned;
    this.name = Names.repository(planned.target().reference());
    this.run = run;
  }

  /** Readies the target: resolves its credential and, where its registry needs it, its repository. */
  void ready() {
    try {
      destination = prepare();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      readyFailure = "could not ready the target: " + Failures.describe(e);
    }
  }

  /**
   * Pushes the image, unless the target could not be readied.
   *
   * @param image the run's image, perhaps still being built
   * @return the target's result, also told to the run's listeners
   */
  TargetResult push(ImageUnderway image) {
    TargetResult result;
    try {
      result = readyFailure != null ? failed(0, Duration.ZERO, readyFailure) : pushReadied(image);
    } catch (RuntimeException e) {
      result = failed(0, Duration.ZERO, "unexpected failure: " + Failures.describe(e));
    }
    run.events().targetFinished(result);
    return result;
  }

  private TargetResult pushReadied(ImageUnderway underway) {
    TargetSpec target = planned.target();
    HostGuards.Guard host =
        run.hosts()
            .of(destination.endpoint().getRegistry(), planned.backend().manifestUploadsPerSecond());
    RetryPolicy policy = planned.backend().retryPolicy(run.retryPolicy());
    RequestRetries retries =
        new RequestRetries(
            this::refine,
            policy,
            host,
            run.classifier(),
            run.clock(),
            planned.name(),
            run.events(),
            line -> log(run.redactor().scrub(line)));
    LOG.info("pushing {} (tags {})", name, String.join(", ", target.tags()));
    PushProgress progress = new PushProgress(planned.name(), run.events());
    Optional<RegistryFailure> failure;
    try {
      failure = host.withSlot(() -> pushWithOneReauthentication(underway, progress, retries));
    } catch (ImageUnderway.NotBuiltException e) {
      return failed(retries.attempts(), retries.waited(), "not pushed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = Optional.of(run.classifier().unanswered("interrupted"));
    } catch (Exception e) {
      failure = Optional.of(run.classifier().classify(e));
    }
    if (failure.isPresent()) {
      return failed(retries.attempts(), retries.waited(), failure.get().message());
    }
    String digest = underway.digest();
    Duration took = since(started);
    LOG.info("pushed {} {} in {} ms", name, digest, took.toMillis());
    log("pushed " + digest + " in " + took.toMillis() + " ms");
    List<String> notes = new ArrayList<>(destination.notes());
    if (retries.attempts() > 1) {
      retries.lastRetried().ifPresent(retried -> notes.add("after " + retried.message()));
    }
    return result(
        TargetStatus.PUSHED,
        Optional.of(digest),
        retries.attempts(),
        took,
        retries.waited(),
        run.redactor().scrub(String.join("; ", notes)));
  }

  /**
   * Pushes; after a 401 that outlived the transport's own token refresh, asks the backend once for
   * a fresh credential ({@link dev.fanout.spi.RegistryBackend#renewCredential}, such as a new ECR
   * token) and pushes again with it. Blobs that reached the registry the first time are found
   * there, not uploaded again.
   *
   * @return the failure that ended the push, or empty when it got through
   * @throws ImageUnderway.NotBuiltException when the build failed
   */
  private Optional<RegistryFailure> pushWithOneReauthentication(
      ImageUnderway image, PushProgress progress, RequestRetries retries) throws Exception {
    Optional<RegistryFailure> failure = pushOnce(image, progress, retries);
    if (failure.isPresent() && failure.get().status().orElse(0) == 401) {
      LOG.info("re-authenticating to {} after {}", name, failure.get().message());
      Optional<RegistryCredential> renewed =
          planned.backend().renewCredential(planned.target(), destination, run.environment());
      renewed.ifPresent(credential -> run.redactor().register(credential.secret()));
      destination = new PushDestination(destination.endpoint(), renewed, destination.notes());
      failure = pushOnce(image, progress, retries);
    }
    return failure;
  }

  /** The target's backend applied to a failed request of this target's push. */
  private RegistryFailure refine(RegistryFailure failure, int attempt, Instant deadline) {
    return planned
        .backend()
        .refine(failure, new PushContext(planned.target(), destination, attempt, deadline));
  }

  /**
   * Pushes with the target's current credential: each blob the build finishes early as soon as it
   * is finished, then the rest of the image once it is built.
   *
   * @throws ImageUnderway.NotBuiltException when the build failed
   */
  private Optional<RegistryFailure> pushOnce(
      ImageUnderway underway, PushProgress progress, RequestRetries retries)
      throws ImageUnderway.NotBuiltException, InterruptedException {
    TargetSpec target = planned.target();
    RepositoryClient client =
        run.transport()
            .repository(
                new RepositoryEndpoint(
                    destination.endpoint().getRegistry(),
                    destination.endpoint().getRepository(),
                    target.plainHttp()),
                destination.credential(),
                retries);
    try {
      client.authenticate();
      AtomicInteger seen = new AtomicInteger();
      client.pushBlobs(
          () -> underway.blobAfter(seen.getAndIncrement()).map(progress::track));
      ImageInHand image = progress.track(underway.image());
      String digest = client.push(image, target.tags());
      if (!digest.equals(image.digest())) {
        return Optional.of(
            run.classifier()
                .unanswered(
                    "the registry holds " + digest + ", but this run's image is " + image.digest()));
      }
      return Optional.empty();
    } catch (TargetFailure e) {
      return Optional.of(e.failure());
    } catch (IOException e) {
      RegistryFailure failure = run.classifier().classify(e);
      return Optional.of(refine(failure, Math.max(1, retries.attempts()), retries.deadline()));
    }
  }

  private PushDestination prepare() throws Exception {
    PushDestination readied = planned.backend().prepare(planned.target(), run.environment());
    readied.credential().ifPresent(credential -> run.redactor().register(credential.secret()));
    log(
        "readied: push to "
            + Names.repository(readied.endpoint())
            + readied
                .credential()
                .map(credential -> " as " + credential.username())
                .orElse(" anonymously")
            + " with tags "
            + String.join(", ", planned.target().tags()));
    return readied;
  }

  private void log(String line) {
    run.events().targetLog(planned.name(), line);
  }

  private TargetResult failed(int attempts, Duration waited, String reason) {
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
   * @param transport the run's one OCI transport
   * @param hosts the per-host bounds, shared holds and circuit breakers
   * @param retryPolicy the pipeline's retry policy, before backends adjust it
   * @param classifier classifies failed requests
   * @param clock the run's clock
   * @param redactor scrubs secrets from what is reported
   * @param events the caller's run listeners
   */
  record RunContext(
      Environment environment,
      RegistryTransport transport,
      HostGuards hosts,
      RetryPolicy retryPolicy,
      FailureClassifier classifier,
      Clock clock,
      Redactor redactor,
      RunEvents events) {}
}
