package dev.fanout.maven;

import dev.fanout.Condition;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.PipelineBuilder;
import dev.fanout.RetryPolicy;
import dev.fanout.TagRule;
import dev.fanout.Target;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * What {@code fanout:plan} and {@code fanout:push} share: the POM's image and targets, turned into
 * a Fanout pipeline with every problem found at once.
 */
public abstract class AbstractFanoutMojo extends AbstractMojo {

  /** Skips the goal: nothing is read, built or pushed. */
  @Parameter(property = "fanout.skip", defaultValue = "false")
  private boolean skip;

  /**
   * Where the image goes. Each {@code <target>} has an {@code <image>} (the repository) and may
   * have {@code <name>}, {@code <when>}, {@code <tags>}, {@code <tagRules>}, {@code <optional>},
   * {@code <backend>}, {@code <plainHttp>}, {@code <credentials>} and {@code <options>}.
   */
  @Parameter private List<TargetParameters> targets;

  /** Literal tags for every target that names none of its own; {@code latest} when none at all. */
  @Parameter(property = "fanout.tags")
  private List<String> tags;

  /** Tag rules for every target that names none of its own: semver, sha, branch, pullRequest. */
  @Parameter(property = "fanout.tagRules")
  private List<String> tagRules;

  /** The base image: {@code <image>} and optional {@code <credentials>}. */
  @Parameter private FromParameters from;

  /** The main class; read from the jar's manifest when not given. */
  @Parameter(property = "fanout.mainClass")
  private String mainClass;

  /** The entrypoint, instead of {@code java -cp ... <mainClass>}. */
  @Parameter private List<String> entrypoint;

  /** Flags for {@code java} in the entrypoint. */
  @Parameter private List<String> jvmFlags;

  /** Ports the image exposes: {@code 8080}, {@code 8080/tcp}, {@code 53/udp}. */
  @Parameter private List<String> ports;

  /** The image's labels. */
  @Parameter private Map<String, String> labels;

  /** The image's environment variables. */
  @Parameter private Map<String, String> environment;

  /**
   * The platforms to build, {@code os/architecture[/variant]} ({@code linux/amd64}, {@code
   * linux/arm64/v8}, {@code linux/arm/v7}): each built once on the base image's manifest for its
   * OS and architecture, and pushed as one image index whose entries name the variants. Jib's
   * default, {@code linux/amd64} alone, when not given.
   */
  @Parameter(property = "fanout.platforms")
  private List<String> platforms;

  /**
   * A {@code docker save} tarball to push as it is, instead of building the project's image. Jib
   * recompresses its layers, so its digest differs from the daemon's and is the same everywhere.
   */
  @Parameter(property = "fanout.dockerArchive")
  private File dockerArchive;

  /**
   * An OCI image layout, a folder or a tar of one, to push byte for byte instead of building the
   * project's image: the image or index its {@code index.json} names, every platform and
   * attestation, so every target gets the layout's digest.
   */
  @Parameter(property = "fanout.ociLayout")
  private File ociLayout;

  /**
   * The {@code org.opencontainers.image.ref.name} of the {@code <ociLayout>} image to push, when
   * its {@code index.json} names several.
   */
  @Parameter(property = "fanout.ociLayoutRefName")
  private String ociLayoutRefName;

  /**
   * An image already in a registry, copied by digest to every target instead of building the
   * project's image: {@code <image>}, optional {@code <credentials>} and {@code <plainHttp>}.
   */
  @Parameter private RegistryImageParameters registryImage;

  /** Push attempts per target, the first included; Fanout's default (5) when not given. */
  @Parameter(property = "fanout.maxAttempts")
  private Integer maxAttempts;

  /** A folder that keeps built layers between builds; a fresh temporary one when not given. */
  @Parameter(property = "fanout.layerCache")
  private File layerCache;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  private MavenSession session;

  @Parameter(defaultValue = "${settings}", readonly = true, required = true)
  private Settings settings;

  private final SettingsDecrypter settingsDecrypter;

  /**
   * A goal that reads {@code settings.xml} servers with Maven's decrypter.
   *
   * @param settingsDecrypter decrypts server passwords; injected by Maven
   */
  AbstractFanoutMojo(SettingsDecrypter settingsDecrypter) {
    this.settingsDecrypter = settingsDecrypter;
  }

  /**
   * Does nothing when skipped, when the module declares no targets, or when it is a {@code pom}
   * module without an image to push as it is ({@code <dockerArchive>}, {@code <ociLayout>}, {@code
   * <registryImage>}); otherwise assembles the pipeline and runs the goal.
   */
  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("fanout: skipped (fanout.skip)");
      return;
    }
    if (targets == null || targets.isEmpty()) {
      getLog().info("fanout: no <targets> in this module's configuration, nothing to do");
      return;
    }
    if ("pom".equals(project.getPackaging()) && existingImage().given().isEmpty()) {
      getLog().info("fanout: a module with packaging pom has no image to build, nothing to do");
      return;
    }
    execute(assemble());
  }

  /**
   * Runs the goal on the assembled pipeline.
   *
   * @param assembly the pipeline and the problems found while assembling it
   * @throws MojoFailureException when the goal fails the build
   * @throws MojoExecutionException when the goal cannot run
   */
  abstract void execute(Assembly assembly) throws MojoFailureException, MojoExecutionException;

  /**
   * Whether missing build output (classes, jars, the main class) is a problem, or only a note.
   *
   * @return true for a goal that builds the image
   */
  abstract boolean needsBuildOutput();

  /**
   * Where the JSON report is written, for the goals that write one.
   *
   * @return the project's build folder
   */
  final File buildDirectory() {
    return new File(project.getBuild().getDirectory());
  }

  private Assembly assemble() {
    Environment env = Environment.of(System.getenv(), project.getBasedir().toPath());
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    PomCredentials credentials =
        new PomCredentials(new SettingsServers(settings, settingsDecrypter));
    PipelineBuilder builder = Pipeline.prepare(env);
    ContainerParameters image =
        new ContainerParameters(
            from,
            mainClass,
            entrypoint,
            jvmFlags,
            ports,
            labels,
            environment,
            platforms,
            existingImage());
    Optional<ProjectImage.Described> described =
        new ProjectImage(project, session.getProjects(), credentials, env)
            .describe(image, needsBuildOutput(), problems, notes);
    described.ifPresent(d -> builder.image(d.source()));
    List<TagRule> rules = TagRules.of(tagRules, tags, "<tags>/<tagRules>", problems);
    if (!rules.isEmpty()) {
      builder.tags(rules.get(0), rules.subList(1, rules.size()).toArray(TagRule[]::new));
    }
    for (int i = 0; i < targets.size(); i++) {
      addTarget(builder, targets.get(i), i + 1, credentials, problems);
    }
    if (maxAttempts != null) {
      try {
        builder.retryPolicy(RetryPolicy.ofDefaults().toBuilder().maxAttempts(maxAttempts).build());
      } catch (IllegalArgumentException e) {
        problems.add("<maxAttempts>: " + e.getMessage());
      }
    }
    if (layerCache != null) {
      builder.layerCache(layerCache.toPath());
    }
    return new Assembly(
        builder, env, problems, notes, described.map(ProjectImage.Described::summary));
  }

  private ExistingImageParameters existingImage() {
    return new ExistingImageParameters(dockerArchive, ociLayout, ociLayoutRefName, registryImage);
  }

  private static void addTarget(
      PipelineBuilder builder,
      TargetParameters parameters,
      int number,
      PomCredentials credentials,
      List<String> problems) {
    if (parameters.image == null || parameters.image.isBlank()) {
      problems.add("<target> #" + number + " has no <image>");
      return;
    }
    String reference = parameters.image.trim();
    String where = "<target> " + reference;
    Target target = Target.to(reference);
    List<TagRule> rules = TagRules.of(parameters.tagRules, parameters.tags, where, problems);
    if (!rules.isEmpty()) {
      target.tags(rules.get(0), rules.subList(1, rules.size()).toArray(TagRule[]::new));
    }
    if (parameters.name != null && !parameters.name.isBlank()) {
      target.named(parameters.name.trim());
    }
    if (parameters.optional) {
      target.optional();
    }
    if (parameters.plainHttp) {
      target.allowPlainHttp();
    }
    if (parameters.backend != null && !parameters.backend.isBlank()) {
      target.backend(parameters.backend.trim());
    }
    if (parameters.options != null) {
      parameters.options.forEach(
          (key, value) -> {
            if (value == null) {
              problems.add(where + ": <options> <" + key + "> has no value");
            } else {
              target.option(key, value.trim());
            }
          });
    }
    Optional<CredentialSource> source =
        credentials.of(parameters.credentials, reference, where, problems);
    source.ifPresent(target::credentials);
    Condition condition = PomConditions.of(parameters.when, where, problems);
    builder.when(condition).push(target);
  }

  /**
   * A pipeline assembled from the POM.
   *
   * @param builder the pipeline
   * @param environment what it reads
   * @param problems what is wrong in the POM, before core's own plan problems
   * @param notes what a plan mentions without failing (build output not there yet)
   * @param image what goes into the image, when it could be described
   */
  record Assembly(
      PipelineBuilder builder,
      Environment environment,
      List<String> problems,
      List<String> notes,
      Optional<String> image) {}
}
