package dev.fanout.cli;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import dev.fanout.cli.config.ImageSection;
import dev.fanout.cli.config.ImageSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options {@code push} and {@code plan} share: what the image holds and where it goes. */
final class ImageOptions {

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
        from != null || !layers.isEmpty() || !entrypoint.isEmpty() || layerCache != null;
    if (from != null) {
      ImageSources.problem(from).ifPresent(problem -> problems.add("--from " + problem));
      if (!layers.isEmpty() || !entrypoint.isEmpty() || layerCache != null) {
        problems.add(
            "--from pushes an existing image as it is: drop --layer, --entrypoint and"
                + " --layer-cache");
      }
    } else if (layers.isEmpty() && (imageGiven || config == null)) {
      problems.add(
          "no --layer or --from given: the image needs at least one directory or a source");
    }
    if (references.isEmpty() && config == null) {
      problems.add("no REFERENCE given: name at least one image to push to");
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    Optional<ImageSection> image =
        imageGiven
            ? Optional.of(
                new ImageSection(
                    Optional.ofNullable(from),
                    Optional.empty(),
                    directories,
                    List.copyOf(entrypoint),
                    Optional.empty(),
                    false,
                    Optional.ofNullable(layerCache)))
            : Optional.empty();
    return Optional.of(
        new CliArguments(
            Optional.ofNullable(config),
            image,
            List.copyOf(references),
            List.copyOf(tags),
            plainHttp));
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
