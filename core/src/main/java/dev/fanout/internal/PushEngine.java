package dev.fanout.internal;

import dev.fanout.PipelineConfigurationException;
import dev.fanout.Plan;
import dev.fanout.PlannedTarget;
import dev.fanout.Progress;
import dev.fanout.PushReport;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.internal.Planner.PlannedPush;
import dev.fanout.internal.Planner.Planning;
import dev.fanout.internal.TargetRun.RunContext;
import dev.fanout.internal.image.ImageInHand;
import dev.fanout.internal.transport.RegistryTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a planned pipeline: readies every enabled target while the image is built (or loaded) once,
 * then pushes the same bytes to all of them concurrently through the run's one OCI transport, and
 * gathers one report.
 */
public final class PushEngine {

  private static final Logger LOG = LoggerFactory.getLogger(PushEngine.class);

  /** Waits and deadlines follow the wall clock, as registries' {@code Retry-After} dates do. */
  private static final Clock CLOCK = Clock.systemUTC();

  /**
   * Targets readied at once per registry host while the image builds. Every target is readied
   * during the build, whatever the push bounds, so its secrets are masked and its failure known
   * before the first push starts; the bound is per host because readying is mostly waiting on that
   * registry's control plane (a token, a repository check), and a release with many repositories on
   * one registry should not send it a burst of API calls at once.
   */
  static final int MAX_READYING_PER_HOST = 4;

  private final PipelineSpec spec;
  private final Planning planning;
  private final RunEvents events;
  private final Redactor redactor;

  private PushEngine(PipelineSpec spec, Planning planning, RunEvents events) {
    this.spec = spec;
    this.planning = planning;
    this.events = events;
    this.redactor = new Redactor(events::secretHeld);
    redactor.registerAll(planning.credentials());
  }

  /**
   * Runs a planned pipeline.
   *
   * @param plan the plan as its caller holds it, told to the listeners
   * @param spec what was declared
   * @param planning what the planner worked out for the run
   * @return the report
   * @throws PipelineConfigurationException when the plan has problems; nothing was sent
   */
  public static PushReport run(Plan plan, PipelineSpec spec, Planning planning) {
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
    Optional<ImageInHand> image = Optional.empty();
    Optional<String> buildFailure = Optional.empty();
    if (!planning.pushes().isEmpty() || spec.tarball() != null) {
      Path work = createWorkFolder();
      try (RegistryTransport transport = RegistryTransport.create()) {
        RunOutcome outcome = buildAndPush(work, transport, results);
        image = outcome.image();
        buildFailure = outcome.buildFailure();
      } finally {
        deleteQuietly(work);
      }
    }
    Optional<Path> tarball = buildFailure.isEmpty() ? spec.tarballPath() : Optional.empty();
    return new PushReport(
        image.map(ImageInHand::digest),
        image.map(ImageInHand::platforms).orElse(Map.of()),
        tarball,
        buildFailure,
        List.of(results),
        Duration.ofNanos(System.nanoTime() - started));
  }

  private RunOutcome buildAndPush(Path work, RegistryTransport transport, TargetResult[] results) {
    HostGuards hosts =
        new HostGuards(spec.maxConcurrentPushesPerHost(), spec.manifestUploadLimits(), CLOCK);
    FailureClassifier classifier = new FailureClassifier(CLOCK);
    RunContext context =
        new RunContext(
            planning.environment(),
            transport,
            hosts,
            spec.retryPolicy(),
            classifier,
            CLOCK,
            redactor,
            events);
    List<PlannedPush> pushes = planning.pushes();
    List<TargetRun> runs = pushes.stream().map(push -> new TargetRun(push, context)).toList();
    ExecutorService readying =
        Executors.newFixedThreadPool(Math.max(1, runs.size()), new NamedThreads("fanout-ready"));
    Map<String, Semaphore> readyingPerHost = new ConcurrentHashMap<>();
    List<Future<?>> readied = new ArrayList<>();
    for (int index = 0; index < runs.size(); index++) {
      TargetRun run = runs.get(index);
      Semaphore host =
          readyingPerHost.computeIfAbsent(
              pushes.get(index).target().reference().getRegistry(),
              name -> new Semaphore(MAX_READYING_PER_HOST));
      readied.add(readying.submit(() -> readyWithin(host, run)));
    }
    readying.shutdown();
    // Pushes start now and wait for their target to be readied, then upload each layer as soon as
    // the build has compressed it, while the build goes on with the next one.
    ImageUnderway underway = new ImageUnderway();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(spec.maxConcurrentPushes(), runs.size())),
            new NamedThreads("fanout-push"));
    try {
      List<Future<TargetResult>> futures = new ArrayList<>();
      for (int index = 0; index < runs.size(); index++) {
        TargetRun run = runs.get(index);
        Future<?> ready = readied.get(index);
        futures.add(
            pool.submit(
                () -> {
                  await(ready);
                  return run.push(underway);
                }));
      }
      Optional<ImageInHand> image;
      Optional<String> buildFailure;
      try {
        image = Optional.of(build(work, transport, hosts, classifier, underway));
        buildFailure = Optional.empty();
        underway.built(image.get());
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        image = Optional.empty();
        buildFailure =
            Optional.of(redactor.scrub("the image build failed: " + Failures.describe(e)));
        LOG.error(buildFailure.get());
        underway.failed(buildFailure.get());
      }
      for (int index = 0; index < pushes.size(); index++) {
        results[pushes.get(index).index()] = await(futures.get(index));
      }
      return new RunOutcome(image, buildFailure);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Readies a target once its host has a readying slot free. */
  private static void readyWithin(Semaphore host, TargetRun run) {
    host.acquireUninterruptibly();
    try {
      run.ready();
    } finally {
      host.release();
    }
  }

  /**
   * Builds the image with Jib, or loads it from its source, once for every target.
   *
   * @param underway told each layer finished ahead of the image
   * @return the image, its blobs hashed once and on disk
   */
  private ImageInHand build(
      Path work,
      RegistryTransport transport,
      HostGuards hosts,
      FailureClassifier classifier,
      ImageUnderway underway)
      throws Exception {
    long started = System.nanoTime();
    ImageInHand image;
    if (spec.imageLoader() != null) {
      ImageLoad load =
          new ImageLoad(
              work,
              transport,
              host ->
                  new RequestRetries(
                      RequestRetries.Refiner.NONE,
                      spec.retryPolicy(),
                      hosts.of(host, OptionalInt.empty()),
                      classifier,
                      CLOCK,
                      Progress.BUILD,
                      events,
                      line -> LOG.info("image source: {}", redactor.scrub(line))),
              planning.environment(),
              targetHosts());
      image = spec.imageLoader().load(load);
    } else {
      image =
          new JibImageBuild(
                  spec.image().builder().orElseThrow(),
                  LayerCaches.under(
                      spec.layerCache() != null ? spec.layerCache() : work.resolve("layers")),
                  spec.eventHandlers(),
                  redactor,
                  events)
              .build(work, spec.tarball(), spec.tarballImageName(), underway::blobBuilt);
    }
    LOG.info(
        "built {} once in {} ms ({} blobs, {} manifests)",
        image.digest(),
        Duration.ofNanos(System.nanoTime() - started).toMillis(),
        image.blobs().size(),
        image.manifests().size());
    return image;
  }

  private Set<String> targetHosts() {
    return planning.pushes().stream()
        .map(push -> push.target().reference().getRegistry())
        .collect(Collectors.toSet());
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a target", e);
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

  private record RunOutcome(Optional<ImageInHand> image, Optional<String> buildFailure) {}
}
