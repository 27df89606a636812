package dev.fanout.internal;

import com.google.cloud.tools.jib.api.JibContainerBuilder;
import dev.fanout.PipelineConfigurationException;
import dev.fanout.Plan;
import dev.fanout.PlannedTarget;
import dev.fanout.PushReport;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.internal.Planner.PlannedPush;
import dev.fanout.internal.Planner.Planning;
import dev.fanout.internal.TargetRun.RunContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a planned pipeline: readies the enabled targets while the image is built once, then pushes
 * to them concurrently and gathers one report.
 */
public final class PushEngine {

  private static final Logger LOG = LoggerFactory.getLogger(PushEngine.class);

  /** Waits and deadlines follow the wall clock, as registries' {@code Retry-After} dates do. */
  private static final Clock CLOCK = Clock.systemUTC();

  private final PipelineSpec spec;
  private final Planning planning;
  private final RunEvents events;
  private final Redactor redactor;

  private PushEngine(PipelineSpec spec, Planning planning, RunEvents events) {
    this.spec = spec;
    this.planning = planning;
    this.events = events;
    this.redactor = new Redactor(events::secretHeld);
  }

  /**
   * Plans and runs a pipeline.
   *
   * @param spec what was declared
   * @return the report
   * @throws PipelineConfigurationException when the plan has problems; nothing was sent
   */
  public static PushReport run(PipelineSpec spec) {
    Planning planning = Planner.plan(spec);
    Plan plan = planning.plan();
    RunEvents events = new RunEvents(spec.listeners());
    events.planned(plan);
    if (!plan.isValid()) {
      throw new PipelineConfigurationException(plan.problems());
    }
    plan.warnings().forEach(LOG::warn);
    PushReport report = new PushEngine(spec, planning, events).execute();
    events.finished(report);
    return report;
  }

  private PushReport execute() {
    long started = System.nanoTime();
    List<PlannedTarget> targets = planning.plan().targets();
    TargetResult[] results = new TargetResult[targets.size()];
    for (int index = 0; index < targets.size(); index++) {
      PlannedTarget target = targets.get(index);
      if (!target.enabled()) {
        results[index] =
            new TargetResult(
                target.reference(),
                target.backend(),
                TargetStatus.SKIPPED,
                target.tags(),
                Optional.empty(),
                0,
                Duration.ZERO,
                Duration.ZERO,
                target.reason(),
                target.name(),
                target.optional());
      }
    }
    Optional<String> digest = Optional.empty();
    Optional<Path> tarball = Optional.empty();
    Optional<String> buildFailure = Optional.empty();
    if (!planning.pushes().isEmpty() || spec.tarball() != null) {
      Path work = createWorkFolder();
      try {
        BuildOutcome outcome = buildAndPush(work, results);
        digest = outcome.digest();
        buildFailure = outcome.failure();
        tarball = buildFailure.isEmpty() ? spec.tarballPath() : Optional.empty();
      } finally {
        deleteQuietly(work);
      }
    }
    return new PushReport(
        digest,
        tarball,
        buildFailure,
        List.of(results),
        Duration.ofNanos(System.nanoTime() - started));
  }

  private BuildOutcome buildAndPush(Path work, TargetResult[] results) {
    JibContainerBuilder builder = spec.image().builder().orElseThrow();
    LayerCaches caches =
        new LayerCaches(spec.layerCache() != null ? spec.layerCache() : work.resolve("layers"));
    ImageContainerizer containerizer =
        new ImageContainerizer(builder, caches, spec.eventHandlers(), redactor, events);
    CompletableFuture<Void> built = new CompletableFuture<>();
    ImageDigest digest = new ImageDigest();
    RunContext context =
        new RunContext(
            spec.environment(),
            built,
            digest,
            new JibPush(containerizer, events),
            new HostGuards(spec.maxConcurrentPushesPerHost(), spec.manifestUploadLimits(), CLOCK),
            spec.retryPolicy(),
            new FailureClassifier(CLOCK),
            CLOCK,
            redactor,
            events);
    List<PlannedPush> pushes = planning.pushes();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(spec.maxConcurrentPushes(), pushes.size())),
            new NamedThreads("fanout-push"));
    try {
      List<Future<TargetResult>> futures = new ArrayList<>();
      for (PlannedPush push : pushes) {
        futures.add(pool.submit(new TargetRun(push, context)));
      }
      Optional<String> failure = build(builder, containerizer, caches, work, built, digest);
      for (int index = 0; index < pushes.size(); index++) {
        results[pushes.get(index).index()] = await(futures.get(index));
      }
      return new BuildOutcome(digest.value(), failure);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Builds the image once. Without a tarball to write and without a base image to fetch, that is
   * only the layers, into the cache ({@link LayerCacheBuild}); otherwise a containerization to the
   * tarball (a throw-away one when none was asked for) also fixes the digest before the pushes.
   *
   * @return the build's failure, scrubbed, or empty when it succeeded
   */
  private Optional<String> build(
      JibContainerBuilder builder,
      ImageContainerizer containerizer,
      LayerCaches caches,
      Path work,
      CompletableFuture<Void> built,
      ImageDigest digest) {
    long started = System.nanoTime();
    try {
      Optional<LayerCacheBuild> layers =
          spec.tarball() == null ? LayerCacheBuild.of(builder) : Optional.empty();
      if (layers.isPresent()) {
        int compressed = layers.get().buildInto(caches.applicationLayers());
        LOG.info(
            "built the layers once in {} ms ({} of {} compressed, the others found in the cache)",
            millisSince(started),
            compressed,
            layers.get().layerCount());
      } else {
        Path tarball = spec.tarball() != null ? spec.tarball() : work.resolve("image.tar");
        String tarballDigest =
            new ImageBuild(containerizer).buildTo(tarball, spec.tarballImageName());
        digest.agree(tarballDigest);
        LOG.info("built {} once in {} ms", tarballDigest, millisSince(started));
      }
      built.complete(null);
      return Optional.empty();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      String failure = redactor.scrub("the image build failed: " + Failures.describe(e));
      LOG.error(failure);
      built.completeExceptionally(e);
      return Optional.of(failure);
    }
  }

  private static long millisSince(long started) {
    return Duration.ofNanos(System.nanoTime() - started).toMillis();
  }

  private static TargetResult await(Future<TargetResult> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a push", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a target's run failed unexpectedly", e.getCause());
    }
  }

  private static Path createWorkFolder() {
    try {
      return Files.createTempDirectory("fanout-run-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary folder for the run", e);
    }
  }

  private static void deleteQuietly(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      LOG.debug("could not delete {}", folder, e);
    }
  }

  private record BuildOutcome(Optional<String> digest, Optional<String> failure) {}
}
