package dev.fanout.internal.image;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a {@code docker save} tarball into an image in hand with a Docker v2s2 manifest.
 *
 * <p>The config is pushed as the exact bytes in the archive. Its {@code rootfs.diff_ids} must match
 * the layers. A layer already gzip-compressed is pushed as it is; an uncompressed one, as {@code
 * docker save} writes them, is compressed with {@link DeterministicGzip} at {@link #GZIP_LEVEL}
 * into the caller's work folder, so the same archive gives the same digest on every run. Nothing is
 * written anywhere else: no cache is shared between runs.
 *
 * <p>Nothing outside the archive is read: every entry must be a plain file or folder with a name
 * inside it, and so must every path {@code manifest.json} gives. The config and layers are read in
 * place, as regions of the tar.
 */
public final class DockerArchive {

  /**
   * The deflate level of layers Fanout compresses: zlib's default, the level {@code docker push}
   * and Jib use, a good balance of size and time. Changing it changes every digest.
   */
  public static final int GZIP_LEVEL = 6;

  /** Docker's image config. */
  static final String CONFIG_MEDIA_TYPE = "application/vnd.docker.container.image.v1+json";

  /** Docker's gzip-compressed layer. */
  static final String LAYER_MEDIA_TYPE = "application/vnd.docker.image.rootfs.diff.tar.gzip";

  /** The largest {@code manifest.json} or config accepted; real ones are a few KiB. */
  private static final long MAX_JSON_BYTES = 16L * 1024 * 1024;

  /**
   * Entry names that carry a content digest: {@code <hex>.json} configs of classic {@code docker
   * save}, {@code blobs/sha256/<hex>} configs and layers of Docker 25 and later.
   */
  private static final Pattern DIGEST_NAME =
      Pattern.compile("(?:blobs/sha256/)?([0-9a-f]{64})(?:\\.json)?");

  private static final String KIND = "docker archive";

  private static final JsonFactory JSON_WRITER = new JsonFactory();

  private DockerArchive() {}

  /**
   * Checks an archive without reading its layers and without any network: its entries, {@code
   * manifest.json}, which image would be pushed, that its config and layers are present, and that
   * the config lists one diff_id per layer. The plan calls this.
   *
   * @param archive the {@code docker save} tarball
   * @param repoTag the repo tag of the image to push, such as {@code acme/app:1.4}, or empty for
   *     the only image
   * @return every problem found, each naming what it is about; empty when the archive can be read
   */
  public static List<String> problems(Path archive, Optional<String> repoTag) {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(repoTag, "repoTag");
    List<String> problems = new ArrayList<>();
    try {
      Contents.of(archive, repoTag, problems);
    } catch (IOException e) {
      problems.add(ArchiveProblem.describe(e));
    }
    return problems;
  }

  /**
   * Reads the image: every check of {@link #problems}, then every layer read once, its diff_id
   * checked against the config, and compressed into the work folder when it is not compressed
   * already.
   *
   * @param archive the {@code docker save} tarball; it must not change while the run lasts, since
   *     the config and compressed layers are read from it when they are pushed
   * @param repoTag the repo tag of the image to push, or empty for the only image
   * @param workFolder this run's own folder for compressed layers; created when missing
   * @return the image, with a Docker v2s2 manifest
   * @throws ImageReadException listing every problem, when the archive is unsafe, inconsistent or
   *     unreadable, or the work folder cannot be written
   */
  public static ImageInHand read(Path archive, Optional<String> repoTag, Path workFolder) {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(repoTag, "repoTag");
    Objects.requireNonNull(workFolder, "workFolder");
    List<String> problems = new ArrayList<>();
    try {
      Optional<Contents> contents = Contents.of(archive, repoTag, problems);
      if (contents.isEmpty() || !problems.isEmpty()) {
        throw new ImageReadException(KIND, archive, problems, null);
      }
      Files.createDirectories(workFolder);
      ImageInHand image = contents.get().image(workFolder, problems);
      if (!problems.isEmpty()) {
        throw new ImageReadException(KIND, archive, problems, null);
      }
      return image;
    } catch (IOException e) {
      problems.add(ArchiveProblem.describe(e));
      throw new ImageReadException(KIND, archive, problems, e);
    }
  }

  /** The chosen image of an archive: its config, the diff_ids it lists, its layer files. */
  private record Contents(Blob config, List<String> diffIds, List<ArchiveFile> layers) {

    static Optional<Contents> of(Path archive, Optional<String> repoTag, List<String> problems)
        throws IOException {
      if (Files.isDirectory(archive)) {
        problems.add("it is a folder, not a docker save tarball");
        return Optional.empty();
      }
      TarFiles files = TarFiles.scan(archive, problems);
      Optional<JsonNode> entry = chooseImage(files, repoTag, problems);
      if (entry.isEmpty()) {
        return Optional.empty();
      }
      Optional<String> configName = pathField(entry.get(), "Config");
      if (configName.isEmpty()) {
        problems.add("manifest.json gives no Config path");
      }
      Optional<ArchiveFile> config = configName.flatMap(name -> files.file(name, problems));
      List<ArchiveFile> layers = new ArrayList<>();
      JsonNode names = entry.get().get("Layers");
      if (names == null || !names.isArray()) {
        problems.add("manifest.json gives no Layers array");
      } else {
        for (JsonNode name : names) {
          if (!name.isTextual()) {
            problems.add("manifest.json lists a layer that is not a path");
          } else {
            files.file(name.asText(), problems).ifPresent(layers::add);
          }
        }
      }
      if (config.isEmpty()) {
        return Optional.empty();
      }
      byte[] configBytes = config.get().readSmall(MAX_JSON_BYTES);
      String configDigest = Digests.of(configBytes);
      expectedDigest(config.get())
          .filter(name -> !name.equals(configDigest))
          .ifPresent(
              name ->
                  problems.add(
                      "config "
                          + ArchiveNames.quote(config.get().name())
                          + " holds content whose digest is "
                          + configDigest));
      List<String> diffIds = diffIds(configBytes, problems);
      if (names != null && names.isArray() && diffIds.size() != names.size()) {
        problems.add(
            "the config lists " + diffIds.size() + " diff_ids for " + names.size() + " layers");
      }
      return Optional.of(
          new Contents(
              new Blob(configDigest, configBytes.length, config.get().content()), diffIds, layers));
    }

    private static Optional<JsonNode> chooseImage(
        TarFiles files, Optional<String> repoTag, List<String> problems) throws IOException {
      Optional<ArchiveFile> file = files.file("manifest.json", problems);
      if (file.isEmpty()) {
        return Optional.empty();
      }
      JsonNode images;
      try {
        images = DescriptorReader.tree(file.get().readSmall(MAX_JSON_BYTES));
      } catch (IllegalArgumentException e) {
        problems.add("manifest.json is " + e.getMessage());
        return Optional.empty();
      }
      if (images == null || !images.isArray() || images.isEmpty()) {
        problems.add("manifest.json lists no image");
        return Optional.empty();
      }
      List<JsonNode> chosen = new ArrayList<>();
      List<String> tags = new ArrayList<>();
      for (JsonNode image : images) {
        JsonNode repoTags = image.get("RepoTags");
        if (repoTags != null && repoTags.isArray()) {
          for (JsonNode tag : repoTags) {
            tags.add(ArchiveNames.quote(tag.asText()));
            if (repoTag.isPresent() && repoTag.get().equals(tag.asText())) {
              chosen.add(image);
            }
          }
        }
      }
      String listed = tags.isEmpty() ? "none is tagged" : String.join(", ", tags);
      if (repoTag.isEmpty() && images.size() == 1) {
        return Optional.of(images.get(0));
      }
      if (repoTag.isEmpty()) {
        problems.add(
            "manifest.json lists "
                + images.size()
                + " images, so one must be chosen by repo tag: "
                + listed);
      } else if (chosen.size() != 1) {
        problems.add(
            "manifest.json has "
                + (chosen.isEmpty() ? "no" : chosen.size())
                + " images tagged "
                + ArchiveNames.quote(repoTag.get())
                + " (its tags: "
                + listed
                + ")");
      } else {
        return Optional.of(chosen.get(0));
      }
      return Optional.empty();
    }

    private static Optional<String> pathField(JsonNode image, String field) {
      JsonNode value = image.get(field);
      return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static List<String> diffIds(byte[] config, List<String> problems) {
      List<String> diffIds = new ArrayList<>();
      JsonNode array;
      try {
        JsonNode rootfs = DescriptorReader.tree(config).get("rootfs");
        array = rootfs == null ? null : rootfs.get("diff_ids");
      } catch (IllegalArgumentException e) {
        problems.add("the config is " + e.getMessage());
        return diffIds;
      }
      if (array == null || !array.isArray()) {
        problems.add("the config has no rootfs.diff_ids");
        return diffIds;
      }
      for (JsonNode diffId : array) {
        if (!Digests.isValid(diffId.asText())) {
          problems.add(
              "the config's diff_id "
                  + ArchiveNames.quote(diffId.asText())
                  + " is not a sha256 digest");
        }
        diffIds.add(diffId.asText());
      }
      return diffIds;
    }

    ImageInHand image(Path workFolder, List<String> problems) throws IOException {
      Map<String, LayerBlob> done = new HashMap<>();
      List<Blob> blobs = new ArrayList<>();
      for (int i = 0; i < layers.size(); i++) {
        ArchiveFile file = layers.get(i);
        if (!done.containsKey(file.name())) {
          done.put(file.name(), LayerBlob.of(file, workFolder, problems));
        }
        LayerBlob layer = done.get(file.name());
        if (layer == null) {
          continue;
        }
        if (!layer.diffId().equals(diffIds.get(i))) {
          problems.add(
              "layer "
                  + ArchiveNames.quote(file.name())
                  + " has diff_id "
                  + layer.diffId()
                  + ", but the config lists "
                  + ArchiveNames.quote(diffIds.get(i)));
        }
        blobs.add(layer.blob());
      }
      ImageInHand.Builder image =
          ImageInHand.withRoot(
              ManifestBytes.of(MediaTypes.DOCKER_MANIFEST, manifest(config, blobs)));
      image.blob(config);
      blobs.forEach(image::blob);
      return image.build();
    }
  }

  /** Which digest an entry's name promises, when its name is a digest. */
  private static Optional<String> expectedDigest(ArchiveFile file) {
    Matcher matcher = DIGEST_NAME.matcher(file.name());
    return matcher.matches() ? Optional.of("sha256:" + matcher.group(1)) : Optional.empty();
  }

  /**
   * A layer ready to push and its diff_id (the digest of the uncompressed tar).
   *
   * @param blob the compressed layer
   * @param diffId the digest of its uncompressed content
   */
  private record LayerBlob(Blob blob, String diffId) {

    /** The first bytes of gzip. */
    private static final byte[] GZIP = {0x1f, (byte) 0x8b};

    /** The first bytes of zstd, which a Docker v2s2 manifest has no media type for. */
    private static final byte[] ZSTD = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

    /** Reads a layer once: hashes it, and compresses it into the work folder if need be. */
    static LayerBlob of(ArchiveFile file, Path workFolder, List<String> problems)
        throws IOException {
      byte[] start;
      try (InputStream in = file.content().open()) {
        start = in.readNBytes(ZSTD.length);
      }
      LayerBlob layer;
      if (startsWith(start, ZSTD)) {
        problems.add(
            "layer "
                + ArchiveNames.quote(file.name())
                + " is zstd-compressed, which a Docker v2s2 manifest cannot carry");
        return null;
      } else if (startsWith(start, GZIP)) {
        try {
          layer = keep(file);
        } catch (ZipException | EOFException e) {
          problems.add(
              "layer "
                  + ArchiveNames.quote(file.name())
                  + " is damaged gzip ("
                  + ArchiveNames.escape(e.getMessage())
                  + ")");
          return null;
        }
      } else {
        layer = compress(file, workFolder);
      }
      String raw = startsWith(start, GZIP) ? layer.blob().digest() : layer.diffId();
      expectedDigest(file)
          .filter(name -> !name.equals(raw))
          .ifPresent(
              name ->
                  problems.add(
                      "layer "
                          + ArchiveNames.quote(file.name())
                          + " holds content whose digest is "
                          + raw));
      return layer;
    }

    private static LayerBlob keep(ArchiveFile file) throws IOException {
      MessageDigest compressed = Digests.sha256();
      MessageDigest uncompressed = Digests.sha256();
      try (DigestInputStream raw = new DigestInputStream(file.content().open(), compressed);
          InputStream in = new GZIPInputStream(raw, ContentHash.BUFFER)) {
        byte[] buffer = new byte[ContentHash.BUFFER];
        for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
          uncompressed.update(buffer, 0, read);
        }
        // Bytes after the last gzip member are still part of the blob that is pushed.
        raw.transferTo(OutputStream.nullOutputStream());
      }
      return new LayerBlob(
          new Blob(Digests.format(compressed.digest()), file.size(), file.content()),
          Digests.format(uncompressed.digest()));
    }

    private static LayerBlob compress(ArchiveFile file, Path workFolder) throws IOException {
      MessageDigest uncompressed = Digests.sha256();
      MessageDigest compressed = Digests.sha256();
      Path partial = Files.createTempFile(workFolder, "layer-", ".partial");
      try {
        try (InputStream in = new DigestInputStream(file.content().open(), uncompressed);
            OutputStream out =
                new DigestOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(partial), ContentHash.BUFFER),
                    compressed)) {
          DeterministicGzip.compress(in, out, GZIP_LEVEL);
        }
        String digest = Digests.format(compressed.digest());
        Path layer =
            workFolder.resolve("layer-" + digest.substring("sha256:".length()) + ".tar.gz");
        Files.move(partial, layer, StandardCopyOption.REPLACE_EXISTING);
        return new LayerBlob(
            new Blob(digest, Files.size(layer), BlobContent.ofFile(layer)),
            Digests.format(uncompressed.digest()));
      } finally {
        Files.deleteIfExists(partial);
      }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
      if (bytes.length < prefix.length) {
        return false;
      }
      for (int i = 0; i < prefix.length; i++) {
        if (bytes[i] != prefix[i]) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * The Docker v2s2 manifest Fanout authors for the image: fields in a fixed order, compact, so the
   * same blobs always give the same bytes.
   */
  private static byte[] manifest(Blob config, List<Blob> layers) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON_WRITER.createGenerator(bytes, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeNumberField("schemaVersion", 2);
      json.writeStringField("mediaType", MediaTypes.DOCKER_MANIFEST);
      json.writeFieldName("config");
      descriptor(json, CONFIG_MEDIA_TYPE, config);
      json.writeArrayFieldStart("layers");
      for (Blob layer : layers) {
        descriptor(json, LAYER_MEDIA_TYPE, layer);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    return bytes.toByteArray();
  }

  private static void descriptor(JsonGenerator json, String mediaType, Blob blob)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("mediaType", mediaType);
    json.writeNumberField("size", blob.size());
    json.writeStringField("digest", blob.digest());
    json.writeEndObject();
  }
}
