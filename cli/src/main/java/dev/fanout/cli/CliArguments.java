package dev.fanout.cli;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The command line, checked: which directories become layers, where the image goes and how.
 *
 * @param from an existing image to push as it is ({@code --from}); empty to build from the layers
 * @param layers one layer per directory, in the order given
 * @param references the images to push to
 * @param tags the tags of every target; empty to take them from the references
 * @param entrypoint the image's entrypoint; empty for none
 * @param plainHttp whether the targets may be reached over plain HTTP
 * @param layerCache where to keep built layers between runs; empty for a throw-away folder
 */
record CliArguments(
    Optional<String> from,
    List<LayerDirectory> layers,
    List<String> references,
    List<String> tags,
    List<String> entrypoint,
    boolean plainHttp,
    Optional<Path> layerCache) {

  /**
   * A directory that becomes one layer.
   *
   * @param directory the directory on disk
   * @param pathInImage where its files go in the image
   */
  record LayerDirectory(Path directory, AbsoluteUnixPath pathInImage) {}
}
