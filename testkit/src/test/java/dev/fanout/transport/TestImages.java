package dev.fanout.transport;

import dev.fanout.internal.image.Blob;
import dev.fanout.internal.image.BlobContent;
import dev.fanout.internal.image.Digests;
import dev.fanout.internal.image.ImageInHand;
import dev.fanout.internal.image.ManifestBytes;
import dev.fanout.internal.image.MediaTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Small images written by hand for the transport's tests: blobs are byte arrays in files, manifests
 * are JSON text with a deliberate layout (key order, spacing, annotations, non-ASCII text) that any
 * re-serialization would change.
 */
final class TestImages {

  private TestImages() {}

  /** A blob in a file, and its descriptor. */
  record WrittenBlob(Blob blob, String mediaType) {
    String descriptor() {
      return "{\"mediaType\":\""
          + mediaType
          + "\",\"digest\":\""
          + blob.digest()
          + "\",\"size\":"
          + blob.size()
          + "}";
    }
  }

  /**
   * An OCI image: a config and two layers, each unique to the seed.
   *
   * @param folder where the blobs go
   * @param seed makes the bytes unique
   */
  static ImageInHand ociImage(Path folder, String seed) throws IOException {
    List<WrittenBlob> blobs =
        imageBlobs(
            folder,
            seed,
            "application/vnd.oci.image.config.v1+json",
            "application/vnd.oci.image.layer.v1.tar+gzip");
    ManifestBytes manifest =
        ManifestBytes.of(
            MediaTypes.OCI_MANIFEST,
            manifestJson(
                MediaTypes.OCI_MANIFEST,
                blobs,
                ",\"annotations\":{\"org.example.note\":\"" + seed + " é\"}"));
    return withBlobs(ImageInHand.withRoot(manifest), blobs).build();
  }

  /** A Docker schema 2 image: same shape, Docker media types. */
  static ImageInHand dockerImage(Path folder, String seed) throws IOException {
    List<WrittenBlob> blobs =
        imageBlobs(
            folder,
            seed,
            "application/vnd.docker.container.image.v1+json",
            "application/vnd.docker.image.rootfs.diff.tar.gzip");
    ManifestBytes manifest =
        ManifestBytes.of(
            MediaTypes.DOCKER_MANIFEST, manifestJson(MediaTypes.DOCKER_MANIFEST, blobs, ""));
    return withBlobs(ImageInHand.withRoot(manifest), blobs).build();
  }

  /** An OCI index over an amd64 and an arm64/v8 image, with annotations and a non-ASCII value. */
  static ImageInHand ociIndex(Path folder, String seed) throws IOException {
    ImageInHand amd64 = ociImage(folder, seed + "-amd64");
    ImageInHand arm64 = ociImage(folder, seed + "-arm64");
    String index =
        "{\n  \"schemaVersion\": 2,\n  \"mediaType\": \""
            + MediaTypes.OCI_INDEX
            + "\",\n  \"manifests\": [\n    "
            + child(amd64.root(), "\"os\":\"linux\",\"architecture\":\"amd64\"")
            + ",\n    "
            + child(arm64.root(), "\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"")
            + "\n"
            + "  ],\n"
            + "  \"annotations\": {\"org.opencontainers.image.description\": \"Grüße, 世界\"},\n"
            + "  \"x-unknown-field\": [1, 2.50, true]\n"
            + "}\n";
    ImageInHand.Builder builder =
        ImageInHand.withRoot(ManifestBytes.of(MediaTypes.OCI_INDEX, utf8(index)))
            .child(amd64.root())
            .child(arm64.root())
            .platform("linux/amd64", amd64.digest())
            .platform("linux/arm64/v8", arm64.digest());
    amd64.blobs().values().forEach(builder::blob);
    arm64.blobs().values().forEach(builder::blob);
    return builder.build();
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String child(ManifestBytes manifest, String platform) {
    return "{\"mediaType\":\""
        + manifest.mediaType()
        + "\",\"digest\":\""
        + manifest.digest()
        + "\",\"size\":"
        + manifest.size()
        + ",\"platform\":{"
        + platform
        + "}}";
  }

  private static List<WrittenBlob> imageBlobs(
      Path folder, String seed, String configType, String layerType) throws IOException {
    List<WrittenBlob> blobs = new ArrayList<>();
    blobs.add(
        write(
            folder,
            utf8(
                "{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":\""
                    + seed
                    + "\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"),
            configType));
    for (int layer = 1; layer <= 2; layer++) {
      byte[] bytes = new byte[3000 * layer];
      byte[] pattern = utf8(seed + "/layer-" + layer + ";");
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = pattern[i % pattern.length];
      }
      blobs.add(write(folder, bytes, layerType));
    }
    return blobs;
  }

  private static WrittenBlob write(Path folder, byte[] bytes, String mediaType) throws IOException {
    String digest = Digests.of(bytes);
    Path file = folder.resolve(digest.substring(7));
    Files.write(file, bytes);
    return new WrittenBlob(new Blob(digest, bytes.length, BlobContent.ofFile(file)), mediaType);
  }

  private static byte[] manifestJson(String mediaType, List<WrittenBlob> blobs, String extra) {
    StringBuilder layers = new StringBuilder();
    for (WrittenBlob layer : blobs.subList(1, blobs.size())) {
      layers.append(layers.length() == 0 ? "" : ", ").append(layer.descriptor());
    }
    return utf8(
        "{\"schemaVersion\":2,\"mediaType\":\""
            + mediaType
            + "\",\"config\":"
            + blobs.get(0).descriptor()
            + ",\"layers\":["
            + layers
            + "]"
            + extra
            + "}");
  }

  private static ImageInHand.Builder withBlobs(
      ImageInHand.Builder builder, List<WrittenBlob> blobs) {
    blobs.forEach(written -> builder.blob(written.blob()));
    return builder;
  }
}
