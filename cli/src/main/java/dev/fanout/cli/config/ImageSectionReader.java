package dev.fanout.cli.config;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import dev.fanout.CredentialSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a config file's {@code image}: {@code from} an existing image, or a build from {@code
 * base}, {@code layers} and {@code entrypoint}. Relative paths are read from the file's folder, as
 * Docker Compose reads its own, so the command works from any directory.
 */
final class ImageSectionReader {

  static final Set<String> KEYS =
      new LinkedHashSet<>(
          List.of(
              "from",
              "base",
              "layers",
              "entrypoint",
              "platforms",
              "credentials",
              "plainHttp",
              "layerCache"));

  /** What only a built image has; an existing image is pushed as it is. */
  private static final List<String> BUILD_KEYS =
      List.of("base", "layers", "entrypoint", "platforms", "layerCache");

  static final Set<String> LAYER_KEYS = new LinkedHashSet<>(List.of("directory", "path"));

  private ImageSectionReader() {}

  /**
   * The image an {@code image} mapping describes.
   *
   * @param node the mapping
   * @param folder the config file's folder, which relative paths start from
   * @param fields reads the values and records problems
   * @return the image, or empty when the mapping has problems
   */
  static Optional<ImageSection> read(Node node, Path folder, YamlFields fields) {
    Optional<YamlFields.Mapping> read = fields.mapping(node, "image", KEYS);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    YamlFields.Mapping image = read.get();
    int before = fields.problems().count();
    Optional<String> from =
        image.get("from").flatMap(value -> from(value, image.path("from"), folder, fields));
    if (image.has("from")) {
      for (String key : BUILD_KEYS) {
        if (image.has(key)) {
          fields
              .problems()
              .at(
                  image.keyNode(key),
                  image.path(),
                  "'"
                      + key
                      + "' builds an image, but 'from' pushes an existing one as it is: drop one");
        }
      }
    } else if (!image.has("base") && !image.has("layers")) {
      fields
          .problems()
          .at(node, image.path(), "names no image: give 'from', or 'layers' and/or 'base'");
    }
    Optional<String> base =
        fields
            .text(image, "base")
            .filter(reference -> References.check(reference, image, "base", fields));
    List<ImageSection.Layer> layers =
        image
            .get("layers")
            .map(value -> layers(value, image.path("layers"), folder, fields))
            .orElse(List.of());
    List<String> entrypoint = fields.texts(image, "entrypoint").orElse(List.of());
    List<String> platforms = fields.texts(image, "platforms").orElse(List.of());
    Platforms.problem(platforms)
        .ifPresent(
            problem ->
                fields
                    .problems()
                    .at(image.get("platforms").orElseThrow(), image.path("platforms"), problem));
    Optional<CredentialSource> credentials =
        image
            .get("credentials")
            .flatMap(value -> CredentialsReader.read(value, image.path("credentials"), fields));
    boolean plainHttp = fields.flag(image, "plainHttp").orElse(false);
    Optional<Path> layerCache = fields.text(image, "layerCache").map(folder::resolve);
    if (fields.problems().count() > before) {
      return Optional.empty();
    }
    return Optional.of(
        new ImageSection(
            from, base, layers, entrypoint, credentials, plainHttp, layerCache, platforms));
  }

  private static Optional<String> from(Node node, String path, Path folder, YamlFields fields) {
    Optional<String> value = fields.text(node, path);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> problem =
        ImageSources.problem(value.get())
            .or(() -> ImageSources.registryReference(value.get()).flatMap(References::problem));
    if (problem.isPresent()) {
      fields.problems().at(node, path, problem.get());
      return Optional.empty();
    }
    return Optional.of(ImageSources.resolvedAgainst(value.get(), folder));
  }

  private static List<ImageSection.Layer> layers(
      Node node, String path, Path folder, YamlFields fields) {
    List<ImageSection.Layer> layers = new ArrayList<>();
    Optional<List<Node>> items = fields.sequence(node, path);
    if (items.isEmpty()) {
      return layers;
    }
    if (items.get().isEmpty()) {
      fields.problems().at(node, path, "holds no layer");
    }
    for (int i = 0; i < items.get().size(); i++) {
      layer(items.get().get(i), path + "[" + i + "]", folder, fields).ifPresent(layers::add);
    }
    return layers;
  }

  private static Optional<ImageSection.Layer> layer(
      Node node, String path, Path folder, YamlFields fields) {
    Optional<YamlFields.Mapping> read = fields.mapping(node, path, LAYER_KEYS);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    YamlFields.Mapping layer = read.get();
    if (!layer.has("directory")) {
      fields.problems().at(node, path, "names no directory");
    }
    Optional<Path> directory = fields.text(layer, "directory").map(folder::resolve);
    if (directory.isPresent() && !Files.isDirectory(directory.get())) {
      fields
          .problems()
          .at(
              layer.get("directory").orElseThrow(),
              layer.path("directory"),
              directory.get() + " is not a directory");
      directory = Optional.empty();
    }
    Optional<String> inImage = fields.text(layer, "path");
    if (inImage.isPresent() && !inImage.get().startsWith("/")) {
      fields
          .problems()
          .at(layer.get("path").orElseThrow(), layer.path("path"), "must be an absolute path");
      return Optional.empty();
    }
    if (directory.isEmpty() || (layer.has("path") && inImage.isEmpty())) {
      return Optional.empty();
    }
    Path found = directory.get();
    String pathInImage = inImage.orElseGet(() -> ImageSources.defaultPathInImage(found));
    return Optional.of(new ImageSection.Layer(found, AbsoluteUnixPath.get(pathInImage)));
  }
}
