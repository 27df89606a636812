package dev.fanout.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.image.json.V22ManifestTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import dev.fanout.internal.image.Blob;
import dev.fanout.internal.image.BlobContent;
import dev.fanout.internal.image.Digests;
import dev.fanout.internal.image.ImageInHand;
import dev.fanout.internal.image.ManifestBytes;
import dev.fanout.internal.image.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads back the tarball Jib wrote for the run's image: every blob is copied once into the run's
 * blob folder and hashed on the way, which is the only time Fanout hashes it.
 *
 * <p>Jib 0.28 writes two shapes ({@code ImageTarball}): for the Docker format, {@code config.json},
 * {@code manifest.json} and one {@code <hex>.tar.gz} per layer, with no registry manifest, so the
 * manifest is authored here with Jib's own {@link V22ManifestTemplate}, giving the bytes and digest
 * Jib would push; for the OCI format, an OCI layout whose {@code index.json} names the manifest,
 * whose bytes are taken as they are.
 */
final class JibTarball {

  /** Jib's names in a Docker-format tarball. */
  private static final String DOCKER_CONFIG = "config.json";

  private static final String DOCKER_MANIFEST = "manifest.json";

  private static final String DOCKER_LAYER_SUFFIX = ".tar.gz";

  /** The layout folder of an OCI-format tarball's blobs. */
  private static final String OCI_BLOBS = "blobs/sha256/";

  private static final ObjectMapper JSON = new ObjectMapper();

  private JibTarball() {}

  /**
   * One platform's image of a multi-platform build.
   *
   * @param platform the platform
   * @param image its image
   */
  record PlatformImage(Platform platform, ImageInHand image) {}

  /**
   * Reads a tarball Jib wrote.
   *
   * @param tarball the tarball
   * @param blobs the run's blob folder
   * @return the image
   * @throws IOException when the tarball is not what Jib writes, or a blob is not what its name says
   */
  static ImageInHand read(Path tarball, Path blobs) throws IOException {
    Map<String, byte[]> documents = new HashMap<>();
    Map<String, Path> files = new HashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        if (!entry.isFile()) {
          continue;
        }
        String name = entry.getName();
        if (name.equals(DOCKER_CONFIG) || name.equals(DOCKER_MANIFEST) || name.equals("index.json")) {
          documents.put(name, tar.readAllBytes());
        } else if (name.endsWith(DOCKER_LAYER_SUFFIX) || name.startsWith(OCI_BLOBS)) {
          String hex =
              name.startsWith(OCI_BLOBS)
                  ? name.substring(OCI_BLOBS.length())
                  : name.substring(0, name.length() - DOCKER_LAYER_SUFFIX.length());
          files.put("sha256:" + hex, copyVerified(tar, "sha256:" + hex, blobs));
        }
      }
    }
    if (documents.containsKey("index.json")) {
      return ociImage(documents.get("index.json"), files, tarball);
    }
    if (!documents.containsKey(DOCKER_CONFIG) || !documents.containsKey(DOCKER_MANIFEST)) {
      throw new IOException(tarball + " is not a tarball Jib wrote: no manifest.json or config.json");
    }
    return dockerImage(documents.get(DOCKER_CONFIG), documents.get(DOCKER_MANIFEST), files, blobs);
  }

  /**
   * The index over the images of a multi-platform build, authored as Jib authors one for a
   * registry: one entry per platform with its architecture and OS, in build order.
   *
   * @param images each platform's image, single manifests
   * @param oci whether the images are OCI (an OCI index) or Docker (a Docker manifest list)
   * @return the image with the index as its root and the platform images as its children
   * @throws IOException never in practice; JSON writing declares it
   */
  static ImageInHand index(List<PlatformImage> images, boolean oci) throws IOException {
    List<Map<String, Object>> entries = new ArrayList<>();
    for (PlatformImage image : images) {
      Map<String, Object> platform = new LinkedHashMap<>();
      platform.put("architecture", withoutVariant(image.platform()).getArchitecture());
      platform.put("os", image.platform().getOs());
      variant(image.platform()).ifPresent(variant -> platform.put("variant", variant));
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("mediaType", image.image().root().mediaType());
      entry.put("digest", image.image().digest());
      entry.put("size", image.image().root().size());
      entry.put("platform", platform);
      entries.add(entry);
    }
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", oci ? MediaTypes.OCI_INDEX : MediaTypes.DOCKER_MANIFEST_LIST);
    index.put("manifests", entries);
    ManifestBytes root =
        ManifestBytes.of(
            oci ? MediaTypes.OCI_INDEX : MediaTypes.DOCKER_MANIFEST_LIST,
            JSON.writeValueAsBytes(index));
    ImageInHand.Builder builder = ImageInHand.withRoot(root);
    for (PlatformImage image : images) {
      builder.child(image.image().root());
      image.image().blobs().values().forEach(builder::blob);
      builder.platform(
          image.platform().getOs() + "/" + image.platform().getArchitecture(),
          image.image().digest());
    }
    return builder.build();
  }

  /**
   * A platform's architecture without its variant. Jib's {@link Platform} has no variant, so a
   * caller gives one after the architecture, as {@code docker --platform} does: {@code new
   * Platform("arm64/v8", "linux")}. Jib builds for the architecture alone; the index names both.
   *
   * @param platform a platform whose architecture may carry {@code /variant}
   * @return the platform Jib builds for
   */
  static Platform withoutVariant(Platform platform) {
    String architecture = platform.getArchitecture();
    int slash = architecture.indexOf('/');
    return slash < 0 ? platform : new Platform(architecture.substring(0, slash), platform.getOs());
  }

  private static Optional<String> variant(Platform platform) {
    String architecture = platform.getArchitecture();
    int slash = architecture.indexOf('/');
    return slash < 0 ? Optional.empty() : Optional.of(architecture.substring(slash + 1));
  }

  private static ImageInHand dockerImage(
      byte[] config, byte[] manifestJson, Map<String, Path> files, Path blobs) throws IOException {
    String configDigest = Digests.of(config);
    Path configFile = blobs.resolve(configDigest.substring("sha256:".length()));
    Files.write(configFile, config);
    V22ManifestTemplate manifest = new V22ManifestTemplate();
    manifest.setContainerConfiguration(config.length, jibDigest(configDigest));
    List<Blob> layers = new ArrayList<>();
    for (JsonNode name : JSON.readTree(manifestJson).path(0).path("Layers")) {
      String digest = "sha256:" + name.asText().replace(DOCKER_LAYER_SUFFIX, "");
      Path file = files.get(digest);
      if (file == null) {
        throw new IOException("Jib's tarball lists layer " + name.asText() + " but holds no such file");
      }
      layers.add(new Blob(digest, Files.size(file), BlobContent.ofFile(file)));
      manifest.addLayer(Files.size(file), jibDigest(digest));
    }
    ImageInHand.Builder image =
        ImageInHand.withRoot(
            ManifestBytes.of(MediaTypes.DOCKER_MANIFEST, JsonTemplateMapper.toByteArray(manifest)));
    image.blob(new Blob(configDigest, config.length, BlobContent.ofFile(configFile)));
    layers.forEach(image::blob);
    return image.build();
  }

  private static ImageInHand ociImage(byte[] indexJson, Map<String, Path> files, Path tarball)
      throws IOException {
    JsonNode descriptor = JSON.readTree(indexJson).path("manifests").path(0);
    Path manifestFile = files.get(descriptor.path("digest").asText());
    if (manifestFile == null) {
      throw new IOException(tarball + " names a manifest it does not hold");
    }
    byte[] manifest = Files.readAllBytes(manifestFile);
    ImageInHand.Builder image =
        ImageInHand.withRoot(
            ManifestBytes.of(descriptor.path("mediaType").asText(MediaTypes.OCI_MANIFEST), manifest));
    JsonNode parsed = JSON.readTree(manifest);
    List<JsonNode> blobs = new ArrayList<>();
    blobs.add(parsed.path("config"));
    parsed.path("layers").forEach(blobs::add);
    for (JsonNode blob : blobs) {
      String digest = blob.path("digest").asText();
      Path file = files.get(digest);
      if (file == null) {
        throw new IOException(tarball + " names blob " + digest + " but does not hold it");
      }
      image.blob(new Blob(digest, Files.size(file), BlobContent.ofFile(file)));
    }
    return image.build();
  }

  private static DescriptorDigest jibDigest(String digest) throws IOException {
    try {
      return DescriptorDigest.fromDigest(digest);
    } catch (DigestException e) {
      throw new IOException("not a digest Jib accepts: " + digest, e);
    }
  }

  /** Copies one blob out of the tarball, hashing it on the way, and checks it is what it says. */
  private static Path copyVerified(InputStream entry, String digest, Path blobs) throws IOException {
    Digests.requireValid(digest);
    Path target = blobs.resolve(digest.substring("sha256:".length()));
    Path partial = Files.createTempFile(blobs, "blob-", ".part");
    MessageDigest hash = Digests.sha256();
    try (OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), hash)) {
      entry.transferTo(out);
    }
    String actual = Digests.format(hash.digest());
    if (!actual.equals(digest)) {
      Files.delete(partial);
      throw new IOException("a blob in Jib's tarball is named " + digest + " but hashes to " + actual);
    }
    return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
  }
}
