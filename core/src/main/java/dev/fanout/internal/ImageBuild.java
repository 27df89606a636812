package dev.fanout.internal;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.TarImage;
import dev.fanout.Progress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the image once, before any push, by containerizing it to a tarball: the run's tarball when
 * it writes one, otherwise a throw-away one.
 *
 * <p>Jib has no "build only" step. The tarball build compresses every layer into the shared layer
 * cache, fetches a base image's layers once for all pushes, and yields the digest every target must
 * end up with. Pushes started afterwards find their layers in the cache and compress nothing;
 * pushes started at the same time as a cold build would each compress the layers themselves. An
 * image from scratch with no tarball to write needs none of this but the layers: {@link
 * LayerCacheBuild}.
 */
final class ImageBuild {

  /** The name inside the throw-away tarball when the caller asked for none. */
  private static final String SCRATCH_IMAGE_NAME = "fanout/build:latest";

  private final ImageContainerizer containerizer;

  ImageBuild(ImageContainerizer containerizer) {
    this.containerizer = containerizer;
  }

  /**
   * Builds the image into the layer cache and writes it as a tarball.
   *
   * @param tarball where to write it
   * @param imageName the name {@code docker load} gives it, or null for a scratch name
   * @return the image's manifest digest
   * @throws Exception whatever Jib throws
   */
  String buildTo(Path tarball, String imageName) throws Exception {
    Path parent = tarball.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    TarImage tar = TarImage.at(tarball).named(imageName == null ? SCRATCH_IMAGE_NAME : imageName);
    return containerizer.containerize(
        Containerizer.to(tar), "build", Progress.BUILD, false, line -> {});
  }
}
