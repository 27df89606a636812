package dev.fanout.cli;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import dev.fanout.TagRule;
import dev.fanout.cli.config.ImageSection;
import dev.fanout.cli.config.ImageSources;
import dev.fanout.cli.config.Platforms;
import dev.fanout.cli.config.References;
import dev.fanout.cli.config.TagRuleNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options {@code push} and {@code plan} share: what the image holds and where it goes. */
final class ImageOptions {

  /** An environment variable's name, as a POSIX shell takes it. */
  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "The pipeline in YAML (docs/config-file.md). The options below add to it: --from,"
              + " --layer, --entrypoint and --layer-cache replace its image, --tag its tags;"
              + " each REFERENCE is one more target; --plain-http applies to every target.")
  private Path config;

  @Option(
      names = "--layer",
      paramLabel = "DIR[=PATH]",
      description =
          "A layer holding DIR's files under PATH in the image (default: /<DIR's name>)."
              + " Repeatable; one layer each, in order.")
  private List<String> layers = new ArrayList<>();

  @Option(
      names = "--from",
      paramLabel = "SOURCE",
      description =
          "An existing image, pushed as it is, instead of --layer: oci:PATH (an OCI layout, folder"
              + " or tar), docker-archive:PATH (a docker save tarball) or docker://REFERENCE (an"
              + " image in a registry, copied by digest).")
  private String from;

  @Option(
      names = "--jar",
      paramLabel = "FILE",
      description =
          "A Java application: FILE goes to /app/<its name> in a layer of its own, and the"
              + " entrypoint is java -jar on it unless --entrypoint says otherwise. Needs --base, an"
              + " image with Java (e.g. eclipse-temurin:17-jre).")
  private Path jar;

  @Option(
      names = "--base",
      paramLabel = "REFERENCE",
      description =
          "The base image the layers go on (default: none, an image from scratch); pulled with"
              + " FANOUT_USERNAME/FANOUT_PASSWORD when set, else Docker's config.json.")
  private String base;

  @Option(
      names = "--platform",
      paramLabel = "OS/ARCH[/VARIANT]",
      description =
          "A platform to build, e.g. linux/arm64/v8. Repeatable: several make one image index, each"
              + " built on the base's manifest for it (default: linux/amd64).")
  private List<String> platforms = new ArrayList<>();

  @Option(
      names = "--tag-rule",
      paramLabel = "RULE",
      description =
          "Tags from the git ref for every target: semver (v1.2.3: 1.2.3, 1.2, 1, latest), sha"
              + " (sha-1a2b3c4), branch, pullRequest (pr-42). Repeatable; with --tag, both.")
  private List<String> tagRules = new ArrayList<>();

  @ArgGroup(exclusive = false, multiplicity = "0..*", heading = "Targets with options of their own:%n")
  private List<TargetOptions> targets = new ArrayList<>();

  @Option(
      names = "--tag",
      paramLabel = "TAG",
      description =
          "A tag for every reference. Repeatable; default: the reference's own tag, else latest.")
  private List<String> tags = new ArrayList<>();

  @Option(
      names = "--entrypoint",
      paramLabel = "ARG",
      description = "One argument of the image's entrypoint. Repeatable, in order.")
  private List<String> entrypoint = new ArrayList<>();

  @Option(
      names = "--plain-http",
      description = "Allow plain HTTP; credentials go over it to loopback registries only.")
  private boolean plainHttp;

  @Option(
      names = "--layer-cache",
      paramLabel = "DIR",
      description = "Keep built layers in DIR between runs (default: a throw-away folder).")
  private Path layerCache;

  @Parameters(
      paramLabel = "REFERENCE",
      arity = "0..*",
      description = "An image to push to, for example 127.0.0.1:5000/acme/app:1.0.")
  private List<String> references = new ArrayList<>();

  /**
   * The options, checked: an image from {@code --from} or from at least one layer, every layer a
   * directory with an absolute path in the image, at least one reference; without {@code --config},
   * that is, since the file may give the image and the targets.
   *
   * @param problems where every problem found is added
   * @return the arguments, or empty when there were problems
   */
  Optional<CliArguments> arguments(List<String> problems) {
    int before = problems.size();
    List<ImageSection.Layer> directories = new ArrayList<>();
    for (String layer : layers) {
      layer(layer, problems).ifPresent(directories::add);
    }
    boolean imageGiven =
        from != null
            || base != null
            || jar != null
            || !platforms.isEmpty()
            || !layers.isEmpty()
            || !entrypoint.isEmpty()
            || layerCache != null;
    if (base != null) {
      References.problem(base).ifPresent(problem -> problems.add("--base " + problem));
    }
    Platforms.problem(platforms).ifPresent(problem -> problems.add("--platform " + problem));
    List<String> entrypointArgs = new ArrayList<>(entrypoint);
    if (jar != null) {
      jarLayer(problems, entrypointArgs).ifPresent(directories::add);
    }
    if (from != null) {
      ImageSources.problem(from).ifPresent(problem -> problems.add("--from " + problem));
      if (!layers.isEmpty()
          || jar != null
          || !entrypoint.isEmpty()
          || layerCache != null
          || base != null
          || !platforms.isEmpty()) {
        problems.add(
            "--from pushes an existing image as it is: drop --layer, --jar, --base, --platform,"
                + " --entrypoint and --layer-cache");
      }
    } else if (layers.isEmpty() && jar == null && (imageGiven || config == null)) {
      problems.add(
          "no --layer, --jar or --from given: the image needs at least one directory, a jar or a"
              + " source");
    }
    if (references.isEmpty() && targets.isEmpty() && config == null) {
      problems.add("no REFERENCE or --to given: name at least one image to push to");
    }
    List<CliArguments.CommandLineTarget> checkedTargets = new ArrayList<>();
    for (TargetOptions target : targets) {
      References.problem(target.reference)
          .ifPresent(problem -> problems.add("--to " + problem));
      for (String name : target.whenSet) {
        if (!VARIABLE_NAME.matcher(name).matches()) {
          problems.add(
              "--when-env for "
                  + target.reference
                  + ": '"
                  + name
                  + "' is not a variable name (letters, digits and _, not first a digit)");
        }
      }
      checkedTargets.add(
          new CliArguments.CommandLineTarget(
              target.reference, List.copyOf(target.whenSet), target.optional));
    }
    List<TagRule> tagList = new ArrayList<>();
    tags.forEach(tag -> tagList.add(TagRule.literal(tag)));
    for (String name : tagRules) {
      TagRuleNames.rule(name)
          .ifPresentOrElse(
              tagList::add,
              () ->
                  problems.add(
                      "--tag-rule "
                          + name
                          + ": unknown; expected one of: "
                          + TagRuleNames.names()));
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    Optional<ImageSection> image =
        imageGiven
            ? Optional.of(
                new ImageSection(
                    Optional.ofNullable(from),
                    Optional.ofNullable(base),
                    directories,
                    List.copyOf(entrypointArgs),
                    Optional.empty(),
                    false,
                    Optional.ofNullable(layerCache),
                    List.copyOf(platforms)))
            : Optional.empty();
    return Optional.of(
        new CliArguments(
            Optional.ofNullable(config),
            image,
            List.copyOf(references),
            List.copyOf(checkedTargets),
            List.copyOf(tagList),
            plainHttp));
  }

  /** The jar's layer, and its entrypoint when none was given; a problem when it cannot run. */
  private Optional<ImageSection.Layer> jarLayer(List<String> problems, List<String> entrypointArgs) {
    if (base == null) {
      problems.add(
          "--jar needs --base: an image with Java to run it, such as eclipse-temurin:17-jre");
    }
    if (!Files.isRegularFile(jar)) {
      problems.add("--jar " + jar + ": not a file");
      return Optional.empty();
    }
    AbsoluteUnixPath inImage = AbsoluteUnixPath.get("/app").resolve(jar.getFileName().toString());
    if (entrypointArgs.isEmpty()) {
      entrypointArgs.addAll(List.of("java", "-jar", inImage.toString()));
    }
    return Optional.of(new ImageSection.Layer(jar, inImage));
  }

  private static Optional<ImageSection.Layer> layer(String value, List<String> problems) {
    int split = value.indexOf('=');
    Path directory = Path.of(split < 0 ? value : value.substring(0, split));
    if (!Files.isDirectory(directory)) {
      problems.add("--layer " + value + ": " + directory + " is not a directory");
      return Optional.empty();
    }
    String inImage =
        split >= 0 ? value.substring(split + 1) : ImageSources.defaultPathInImage(directory);
    if (!inImage.startsWith("/")) {
      problems.add("--layer " + value + ": the path in the image must be absolute");
      return Optional.empty();
    }
    return Optional.of(new ImageSection.Layer(directory, AbsoluteUnixPath.get(inImage)));
  }
}
