package dev.fanout.cli.config;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import dev.fanout.CredentialSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The image to push, as the command line ({@code --from}, {@code --layer}, ...) or a config file's
 * {@code image:} describes it: an existing image taken as it is, or one built from directories.
 *
 * @param from an existing image ({@code oci:PATH}, {@code docker-archive:PATH} or {@code
 *     docker://REFERENCE}), pushed as it is; empty to build one
 * @param base the image the built one starts from; empty for an empty image (scratch)
 * @param layers one layer per directory, in order
 * @param entrypoint the built image's entrypoint; empty for the base's
 * @param credentials the pull credential for the base or for a {@code docker://} source; empty for
 *     the command's default
 * @param plainHttp whether a {@code docker://} source may be read over plain HTTP (loopback only)
 * @param layerCache where built layers are kept between runs; empty for a throw-away folder
 * @param platforms the platforms to build, {@code os/architecture[/variant]}; empty for Jib's
 *     default ({@code linux/amd64}). Several make an image index, each built on the base's
 *     manifest for that platform
 */
public record ImageSection(
    Optional<String> from,
    Optional<String> base,
    List<Layer> layers,
    List<String> entrypoint,
    Optional<CredentialSource> credentials,
    boolean plainHttp,
    Optional<Path> layerCache,
    List<String> platforms) {

  /**
   * A directory that becomes one layer, or a single file ({@code --jar}).
   *
   * @param directory the directory (or file) on disk
   * @param pathInImage where its files go in the image (or the file itself)
   */
  public record Layer(Path directory, AbsoluteUnixPath pathInImage) {}
}
