package dev.fanout.internal;

import com.google.cloud.tools.jib.api.JibContainerBuilder;
import dev.fanout.Plan;
import dev.fanout.PipelineConfigurationException;
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
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
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
        tarball = digest.isPresent() ? spec.tarballPath() : Optional.empty();
      } finally {
        deleteQuietly(work);
      }
    }
    return new PushReport(
        digest, tarball, buildFailure, List.of(results), Duration.ofNanos(System.nanoTime() - started));
  }

  private BuildOutcome buildAndPush(Path work, TargetResult[] results) {
    JibContainerBuilder builder = spec.image().builder().orElseThrow();
    LayerCaches caches =
        new LayerCaches(spec.layerCache() != null ? spec.layerCache() : work.resolve("layers"));
    ImageContainerizer containerizer =
        new ImageContainerizer(builder, caches, spec.eventHandlers(), redactor, events);
    CompletableFuture<String> build = new CompletableFuture<>();
    RunContext context =
        new RunContext(
            spec.environment(),
            build,
            new JibPush(containerizer, events),
            new HostGuards(
                spec.maxConcurrentPushesPerHost(), spec.manifestUploadLimits(), CLOCK),
            spec.retryPolicy(),
            new FailureClassifier(CLOCK),
            CLOCK,
            redactor,
            events);
    List<PlannedPush> pushes = planning.pushes();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(spec.maxConcurrentPushes(), pushes.size())), new PushThreads());
    try {
      List<Future<TargetResult>> futures = new ArrayList<>();
      for (PlannedPush push : pushes) {
        futures.add(pool.submit(new TargetRun(push, context)));
      }
      BuildOutcome outcome = build(containerizer, work, build);
      for (int index = 0; index < pushes.size(); index++) {
        results[pushes.get(index).index()] = await(futures.get(index));
      }
      return outcome;
    } finally {
      pool.shutdownNow();
    }
  }

  private BuildOutcome build(
      ImageContainerizer containerizer, Path work, CompletableFuture<String> build) {
    Path tarball = spec.tarball() != null ? spec.tarball() : work.resolve("image.tar");
    long started = System.nanoTime();
    try {
      String digest =
          new ImageBuild(containerizer).buildTo(tarball, spec.tarballImageName());
      LOG.info(
          "built {} once in {} ms",
          digest,
          Duration.ofNanos(System.nanoTime() - started).toMillis());
      build.complete(digest);
      return new BuildOutcome(Optional.of(digest), Optional.empty());
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      String failure = redactor.scrub("the image build failed: " + Failures.describe(e));
      LOG.error(failure);
      build.completeExceptionally(e);
      return new BuildOutcome(Optional.empty(), Optional.of(failure));
    }
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

  /** Names push threads so that thread dumps and logs say what they are. */
  private static final class PushThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "fanout-push-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
