package dev.fanout.internal.image;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.internal.image.Descriptor.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the descriptors out of manifest and index bytes: the config and layers of an image
 * manifest, the child manifests of an index. Read only: the bytes are never written back, so fields
 * this reader does not know survive untouched in what is pushed.
 *
 * <p>A document whose own {@code mediaType} field differs from the media type of the descriptor
 * that points to it is refused, since a registry would store it under one type and serve it under
 * the other. A key given twice in one object is refused too: parsers disagree on which one wins, so
 * what Fanout checks could differ from what a registry reads.
 */
final class DescriptorReader {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private DescriptorReader() {}

  /**
   * The config and layers of an image manifest (OCI or Docker v2s2).
   *
   * @param manifest the manifest bytes
   * @param mediaType the media type of the descriptor that points to the manifest
   * @return its blobs' descriptors
   * @throws InvalidDocumentException when the bytes are not such a manifest, listing every problem
   *     found
   */
  public static ImageDescriptors image(byte[] manifest, String mediaType) {
    List<String> problems = new ArrayList<>();
    JsonNode root = parse(manifest, mediaType, problems);
    Descriptor config = null;
    List<Descriptor> layers = new ArrayList<>();
    if (root != null) {
      config = descriptor(root.get("config"), "config", problems).orElse(null);
      if (root.get("config") == null) {
        problems.add("the manifest has no config");
      }
      JsonNode array = root.get("layers");
      if (array != null && !array.isArray()) {
        problems.add("layers is not an array");
      } else if (array != null) {
        for (int i = 0; i < array.size(); i++) {
          descriptor(array.get(i), "layers[" + i + "]", problems).ifPresent(layers::add);
        }
      }
    }
    throwIfAny(problems);
    return new ImageDescriptors(config, layers);
  }

  /**
   * The manifests an index lists (OCI image index, Docker manifest list, or an OCI layout's {@code
   * index.json}).
   *
   * @param index the index bytes
   * @param mediaType the media type of the descriptor that points to the index, or empty for an
   *     {@code index.json}, which nothing points to
   * @return the entries, in index order
   * @throws InvalidDocumentException when the bytes are not an index, listing every problem found
   */
  public static List<Descriptor> index(byte[] index, Optional<String> mediaType) {
    List<String> problems = new ArrayList<>();
    JsonNode root = parse(index, mediaType.orElse(null), problems);
    List<Descriptor> entries = new ArrayList<>();
    if (root != null) {
      JsonNode array = root.get("manifests");
      if (array == null || !array.isArray()) {
        problems.add("the index has no manifests array");
      } else {
        for (int i = 0; i < array.size(); i++) {
          descriptor(array.get(i), "manifests[" + i + "]", problems).ifPresent(entries::add);
        }
      }
    }
    throwIfAny(problems);
    return List.copyOf(entries);
  }

  /**
   * Parses any small JSON document read from an archive, such as a {@code manifest.json} or an
   * image config, refusing duplicate keys.
   *
   * @param bytes the JSON bytes
   * @return the tree
   * @throws IllegalArgumentException when the bytes are not JSON
   */
  static JsonNode tree(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not valid JSON: " + ArchiveNames.escape(e.getOriginalMessage()), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "not readable JSON: " + ArchiveNames.escape(e.getMessage()), e);
    }
  }

  private static JsonNode parse(byte[] bytes, String mediaType, List<String> problems) {
    JsonNode root;
    try {
      root = tree(bytes);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return null;
    }
    if (root == null || !root.isObject()) {
      problems.add("not a JSON object");
      return null;
    }
    JsonNode declared = root.get("mediaType");
    if (declared != null && mediaType != null && !declared.asText().equals(mediaType)) {
      problems.add(
          "its mediaType "
              + ArchiveNames.quote(declared.asText())
              + " differs from the descriptor's "
              + ArchiveNames.quote(mediaType));
    }
    return root;
  }

  private static Optional<Descriptor> descriptor(
      JsonNode node, String where, List<String> problems) {
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isObject()) {
      problems.add(where + " is not an object");
      return Optional.empty();
    }
    int before = problems.size();
    String mediaType = text(node, "mediaType", where, problems).orElse(null);
    if (mediaType == null) {
      problems.add(where + " has no mediaType");
    }
    String digest = text(node, "digest", where, problems).orElse("");
    if (!Digests.isValid(digest)) {
      problems.add(where + ".digest " + ArchiveNames.quote(digest) + " is not a sha256 digest");
    }
    JsonNode sizeNode = node.get("size");
    long size = -1;
    if (sizeNode == null
        || !sizeNode.canConvertToLong()
        || !sizeNode.isIntegralNumber()
        || sizeNode.asLong() < 0) {
      problems.add(where + ".size is missing or not a non-negative integer");
    } else {
      size = sizeNode.asLong();
    }
    Optional<Platform> platform = platform(node.get("platform"), where, problems);
    Map<String, String> annotations = annotations(node.get("annotations"), where, problems);
    Optional<String> artifactType = text(node, "artifactType", where, problems);
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(
        new Descriptor(mediaType, digest, size, platform, annotations, artifactType));
  }

  private static Optional<Platform> platform(JsonNode node, String where, List<String> problems) {
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isObject()) {
      problems.add(where + ".platform is not an object");
      return Optional.empty();
    }
    String at = where + ".platform";
    Optional<String> os = text(node, "os", at, problems);
    Optional<String> architecture = text(node, "architecture", at, problems);
    if (os.isEmpty() || architecture.isEmpty()) {
      problems.add(at + " needs os and architecture");
      return Optional.empty();
    }
    return Optional.of(
        new Platform(
            os.get(),
            architecture.get(),
            text(node, "variant", at, problems),
            text(node, "os.version", at, problems)));
  }

  private static Map<String, String> annotations(
      JsonNode node, String where, List<String> problems) {
    Map<String, String> annotations = new LinkedHashMap<>();
    if (node == null) {
      return annotations;
    }
    if (!node.isObject()) {
      problems.add(where + ".annotations is not an object");
      return annotations;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getValue().isTextual()) {
        problems.add(
            where + ".annotations " + ArchiveNames.quote(field.getKey()) + " is not a string");
      } else {
        annotations.put(field.getKey(), field.getValue().asText());
      }
    }
    return annotations;
  }

  private static Optional<String> text(
      JsonNode node, String field, String where, List<String> problems) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      problems.add(where + "." + field + " is not a string");
      return Optional.empty();
    }
    return Optional.of(value.asText());
  }

  private static void throwIfAny(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new InvalidDocumentException(problems);
    }
  }

  /** A manifest or index that cannot be read, with every problem found in it. */
  public static final class InvalidDocumentException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    InvalidDocumentException(List<String> problems) {
      super(String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }

    /** Every problem, each a sentence naming the field it is about. */
    public List<String> problems() {
      return problems;
    }
  }

  /**
   * The blobs an image manifest names.
   *
   * @param config the config blob
   * @param layers the layers, bottom first
   */
  public record ImageDescriptors(Descriptor config, List<Descriptor> layers) {

    /** Checks the fields. */
    public ImageDescriptors {
      Objects.requireNonNull(config, "config");
      layers = List.copyOf(layers);
    }

    /** The config then the layers: every blob the manifest needs. */
    public List<Descriptor> blobs() {
      List<Descriptor> all = new ArrayList<>();
      all.add(config);
      all.addAll(layers);
      return all;
    }
  }
}
