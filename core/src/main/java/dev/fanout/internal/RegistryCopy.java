package dev.fanout.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.ImageReference;
import dev.fanout.CredentialSource;
import dev.fanout.RegistryCredential;
import dev.fanout.internal.image.Blob;
import dev.fanout.internal.image.BlobContent;
import dev.fanout.internal.image.ImageInHand;
import dev.fanout.internal.image.ManifestBytes;
import dev.fanout.internal.image.MediaTypes;
import dev.fanout.internal.transport.RepositoryClient;
import dev.fanout.internal.transport.RepositoryEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Copies an image from a registry by digest: the manifest or index exactly as the source serves
 * it, every platform, every attestation. Targets on the source's host mount the blobs from it; a
 * blob is downloaded (once, into the run's folder, its digest checked on the way) only when a
 * target actually has to upload it.
 */
final class RegistryCopy implements ImageLoader {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ImageReference source;
  private final Optional<RegistryCopies.Pull> credentials;
  private final boolean plainHttp;

  RegistryCopy(
      ImageReference source, Optional<RegistryCopies.Pull> credentials, boolean plainHttp) {
    this.source = source;
    this.credentials = credentials;
    this.plainHttp = plainHttp;
  }

  @Override
  public ImageInHand load(ImageLoad load) throws Exception {
    String host = source.getRegistry();
    Optional<RegistryCredential> credential =
        credentials.isPresent()
            ? credentials.get().credentials().resolve(host, credentials.get().environment())
            : CredentialSource.dockerConfig().resolve(host, load.environment());
    RepositoryClient client =
        load.transport()
            .repository(
                new RepositoryEndpoint(host, source.getRepository(), plainHttp),
                credential,
                load.runner(host));
    ManifestBytes root = client.fetchManifest(source.getQualifier());
    ImageInHand.Builder image =
        ImageInHand.withRoot(root)
            .origin(new ImageInHand.BlobOrigin(host, source.getRepository()));
    Path blobs = Files.createDirectories(load.work().resolve("copied-blobs"));
    if (root.isIndex()) {
      for (JsonNode entry : JSON.readTree(root.bytes()).path("manifests")) {
        ManifestBytes child = client.fetchManifest(entry.path("digest").asText());
        image.child(child);
        addBlobs(child, client, blobs, image);
        platformOf(entry).ifPresent(platform -> image.platform(platform, child.digest()));
      }
    } else {
      addBlobs(root, client, blobs, image);
    }
    return image.build();
  }

  private static void addBlobs(
      ManifestBytes manifest, RepositoryClient client, Path folder, ImageInHand.Builder image)
      throws IOException {
    if (!MediaTypes.isManifest(manifest.mediaType()) || manifest.isIndex()) {
      throw new IOException("cannot copy a manifest of media type " + manifest.mediaType());
    }
    JsonNode parsed = JSON.readTree(manifest.bytes());
    image.blob(blob(parsed.path("config"), client, folder));
    for (JsonNode layer : parsed.path("layers")) {
      image.blob(blob(layer, client, folder));
    }
  }

  private static Blob blob(JsonNode descriptor, RepositoryClient client, Path folder) {
    String digest = descriptor.path("digest").asText();
    long size = descriptor.path("size").asLong(-1);
    return new Blob(digest, size, new Download(client, digest, size, folder));
  }

  /**
   * The platform an index entry names, as {@code os/arch[/variant]}; empty for an attestation
   * manifest ({@code unknown/unknown}), which is copied but is no platform.
   */
  private static Optional<String> platformOf(JsonNode entry) {
    JsonNode platform = entry.path("platform");
    String os = platform.path("os").asText("");
    String architecture = platform.path("architecture").asText("");
    if (os.isEmpty() || architecture.isEmpty() || os.equals("unknown")) {
      return Optional.empty();
    }
    String variant = platform.path("variant").asText("");
    return Optional.of(os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant));
  }

  /** A blob fetched from the source the first time a target needs its bytes, then read locally. */
  private static final class Download implements BlobContent {

    private final RepositoryClient client;
    private final String digest;
    private final long size;
    private final Path file;
    private boolean fetched;

    Download(RepositoryClient client, String digest, long size, Path folder) {
      this.client = client;
      this.digest = digest;
      this.size = size;
      this.file = folder.resolve(digest.substring("sha256:".length()));
    }

    @Override
    public synchronized InputStream open() throws IOException {
      if (!fetched) {
        try {
          client.fetchBlob(digest, size, file);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while fetching " + digest, e);
        }
        fetched = true;
      }
      return Files.newInputStream(file);
    }
  }
}
