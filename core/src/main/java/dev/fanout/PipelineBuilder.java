package dev.fanout;

import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.JibEvent;
import dev.fanout.internal.JibEventHandler;
import dev.fanout.internal.PipelineSpec;
import dev.fanout.internal.Planner;
import dev.fanout.internal.Planner.Planning;
import dev.fanout.internal.PushEngine;
import dev.fanout.internal.TargetDeclaration;
import dev.fanout.spi.RegistryBackendProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Declares a pipeline: the image, the tags, the targets and their conditions. Nothing touches the
 * network or the environment until {@link #plan()} or {@link #run()}.
 *
 * <p>Mutable and not thread-safe; each {@code plan()} or {@code run()} works on a snapshot of what
 * was declared so far. Setters fail fast on values that can never be right; everything that
 * depends on the environment is reported by the plan, all problems at once.
 */
public final class PipelineBuilder {

  /**
   * Pushes running at once across all registries. Four keeps a 2-core build machine busy with
   * uploads while leaving room for compression, as go-containerregistry's default of 4 jobs does.
   */
  public static final int DEFAULT_MAX_CONCURRENT_PUSHES = 4;

  /**
   * Pushes running at once to one registry host. Two keeps per-registry request rates modest (ECR
   * allows 10 manifest uploads a second per region by default) while tags of one release still
   * overlap.
   */
  public static final int DEFAULT_MAX_CONCURRENT_PUSHES_PER_HOST = 2;

  private final Environment environment;
  private @Nullable ImageSource image;
  private List<TagRule> tags = List.of();
  private final List<TargetDeclaration> targets = new ArrayList<>();
  private @Nullable Path tarball;
  private @Nullable String tarballImageName;
  private int maxConcurrentPushes = DEFAULT_MAX_CONCURRENT_PUSHES;
  private int maxConcurrentPushesPerHost = DEFAULT_MAX_CONCURRENT_PUSHES_PER_HOST;
  private RetryPolicy retryPolicy = RetryPolicy.ofDefaults();
  private final Map<String, Integer> manifestUploadLimits = new HashMap<>();
  private @Nullable Path layerCache;
  private final List<RegistryBackendProvider> backends = new ArrayList<>();
  private final List<JibEventHandler<?>> eventHandlers = new ArrayList<>();
  private final List<RunListener> listeners = new ArrayList<>();

  PipelineBuilder(Environment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  /**
   * The image, described with Jib.
   *
   * @param builder for example {@code Jib.fromScratch().addLayer(...)}; owned by the pipeline from
   *     now on
   * @return this builder
   */
  public PipelineBuilder image(JibContainerBuilder builder) {
    return image(ImageSource.jib(builder));
  }

  /**
   * The image, from any {@link ImageSource}: a Jib builder, a {@code docker save} tarball or a
   * registry image.
   *
   * @param source the source
   * @return this builder
   */
  public PipelineBuilder image(ImageSource source) {
    this.image = Objects.requireNonNull(source, "source");
    return this;
  }

  /**
   * The tags every target gets unless it names its own; {@code latest} when none are given.
   *
   * @param tags the tags
   * @return this builder
   */
  public PipelineBuilder tags(String... tags) {
    this.tags = Stream.of(tags).map(TagRule::literal).toList();
    return this;
  }

  /**
   * Tag rules every target gets unless it names its own tags: for example {@code
   * tags(TagRule.semver(), TagRule.sha())}. A target whose rules give no tag for the run's ref is
   * skipped, and the plan says why.
   *
   * @param rule the first rule
   * @param more further rules
   * @return this builder
   */
  public PipelineBuilder tags(TagRule rule, TagRule... more) {
    this.tags = List.copyOf(Stream.concat(Stream.of(rule), Stream.of(more)).toList());
    return this;
  }

  /**
   * Starts a conditional target: the target that follows is pushed only when {@code condition}
   * holds, and the plan says why when it does not.
   *
   * @param condition the condition, for example {@code credentialPresent("DOCKERHUB_TOKEN")}
   * @return a step whose {@code push} adds the target and returns this builder
   */
  public When when(Condition condition) {
    return new When(Objects.requireNonNull(condition, "condition"));
  }

  /**
   * Adds a target that is always pushed.
   *
   * @param reference the repository, for example {@code ghcr.io/acme/app}
   * @return this builder
   */
  public PipelineBuilder push(String reference) {
    return push(Target.to(reference));
  }

  /**
   * Adds a target that is always pushed.
   *
   * @param target the target
   * @return this builder
   */
  public PipelineBuilder push(Target target) {
    return add(Conditions.always(), target);
  }

  /**
   * Also writes the built image as a {@code docker load}-able tarball. It is written even when no
   * target is enabled, so a run always produces something to inspect.
   *
   * @param path where to write it; parent folders are created
   * @param imageName the name {@code docker load} gives the image, for example {@code acme/app:1.4.2}
   * @return this builder
   */
  public PipelineBuilder tarball(Path path, String imageName) {
    this.tarball = Objects.requireNonNull(path, "path");
    this.tarballImageName = Objects.requireNonNull(imageName, "imageName");
    return this;
  }

  /**
   * How many pushes run at once across all registries.
   *
   * @param pushes at least 1; default {@value #DEFAULT_MAX_CONCURRENT_PUSHES}
   * @return this builder
   */
  public PipelineBuilder maxConcurrentPushes(int pushes) {
    this.maxConcurrentPushes = atLeastOne(pushes, "maxConcurrentPushes");
    return this;
  }

  /**
   * How many pushes run at once to one registry host.
   *
   * @param pushes at least 1; default {@value #DEFAULT_MAX_CONCURRENT_PUSHES_PER_HOST}
   * @return this builder
   */
  public PipelineBuilder maxConcurrentPushesPerHost(int pushes) {
    this.maxConcurrentPushesPerHost = atLeastOne(pushes, "maxConcurrentPushesPerHost");
    return this;
  }

  /**
   * How pushes are retried when a registry answers 408, 429 or 5xx, or the connection fails;
   * {@link RetryPolicy#ofDefaults()} unless set. A backend may widen it for its registry's quotas.
   *
   * @param policy the policy
   * @return this builder
   */
  public PipelineBuilder retryPolicy(RetryPolicy policy) {
    this.retryPolicy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Limits manifest uploads to one registry host, for a registry whose quota Fanout's backends do
   * not already know (the ECR backend knows ECR's). Each push attempt counts once per tag.
   *
   * @param registryHost the host as in the references, with its port if it has one
   * @param perSecond at least 1
   * @return this builder
   */
  public PipelineBuilder limitManifestUploads(String registryHost, int perSecond) {
    manifestUploadLimits.put(
        Objects.requireNonNull(registryHost, "registryHost"), atLeastOne(perSecond, "perSecond"));
    return this;
  }

  /**
   * Where built layers are cached. By default each run uses a fresh temporary folder and deletes
   * it afterwards, so layers are built once per run; a folder kept between runs lets later runs
   * skip building unchanged layers.
   *
   * @param folder the cache folder
   * @return this builder
   */
  public PipelineBuilder layerCache(Path folder) {
    this.layerCache = Objects.requireNonNull(folder, "folder");
    return this;
  }

  /**
   * Adds a backend besides those found with {@link java.util.ServiceLoader}; handy in a script
   * where a {@code META-INF/services} file is awkward.
   *
   * @param provider the backend's provider
   * @return this builder
   */
  public PipelineBuilder backend(RegistryBackendProvider provider) {
    backends.add(Objects.requireNonNull(provider, "provider"));
    return this;
  }

  /**
   * Receives Jib's events (log lines, progress, timers) from the build and from every push.
   *
   * @param type the event type, for example {@code ProgressEvent.class}
   * @param handler the handler; called from several threads at once
   * @param <E> the event type
   * @return this builder
   */
  public <E extends JibEvent> PipelineBuilder addEventHandler(
      Class<E> type, Consumer<? super E> handler) {
    eventHandlers.add(new JibEventHandler<>(type, handler));
    return this;
  }

  /**
   * Hears the run as it happens: secrets to mask, the plan, each target's log and progress, each
   * result and the report. Reporters for the console, GitHub Actions and JSON are in {@code
   * dev.fanout.report}.
   *
   * @param listener the listener; called from several threads at once
   * @return this builder
   */
  public PipelineBuilder listener(RunListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Works out what a run would do, without any network I/O: which targets take part, which are
   * skipped and why, and every configuration problem.
   *
   * <p>The plan is a snapshot: later calls on this builder do not change it. {@link Plan#run()}
   * carries it out as it is, which is what {@link #run()} does with a fresh plan.
   *
   * @return the plan, ready to {@linkplain Plan#run() run}
   */
  public Plan plan() {
    PipelineSpec spec = spec();
    Planning planning = Planner.plan(spec);
    // The backends a plan chose serve one run: they may cache what they fetched for it (tokens,
    // repository checks), as RegistryBackendProvider.create() promises them.
    AtomicBoolean ran = new AtomicBoolean();
    return planning
        .plan()
        .runnable(
            plan -> {
              if (ran.getAndSet(true)) {
                throw new IllegalStateException(
                    "this plan has run already; call plan() or run() on the pipeline for another"
                        + " run");
              }
              return PushEngine.run(plan, spec, planning);
            });
  }

  /**
   * Plans, then builds the image once and pushes it to every enabled target: {@code
   * plan().run()}, planned once.
   *
   * @return the report; a registry's failure is recorded there, not thrown
   * @throws PipelineConfigurationException before any network I/O, when the plan has problems
   */
  public PushReport run() {
    return plan().run();
  }

  private PipelineBuilder add(Condition condition, Target target) {
    targets.add(TargetDeclaration.of(condition, Objects.requireNonNull(target, "target")));
    return this;
  }

  private PipelineSpec spec() {
    return new PipelineSpec(
        environment,
        image,
        image == null ? null : image.loader(),
        tags,
        targets,
        tarball,
        tarballImageName,
        maxConcurrentPushes,
        maxConcurrentPushesPerHost,
        retryPolicy,
        manifestUploadLimits,
        layerCache,
        backends,
        eventHandlers,
        listeners);
  }

  private static int atLeastOne(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + value);
    }
    return value;
  }

  /** The step between {@link #when(Condition)} and the target it guards. */
  public final class When {

    private final Condition condition;

    private When(Condition condition) {
      this.condition = condition;
    }

    /**
     * Adds the target, pushed only when the condition holds.
     *
     * @param reference the repository, for example {@code docker.io/acme/app}
     * @return the pipeline
     */
    public PipelineBuilder push(String reference) {
      return push(Target.to(reference));
    }

    /**
     * Adds the target, pushed only when the condition holds.
     *
     * @param target the target
     * @return the pipeline
     */
    public PipelineBuilder push(Target target) {
      return add(condition, target);
    }
  }
}
