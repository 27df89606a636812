package dev.fanout.cli;

import dev.fanout.cli.config.ImageSection;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The command line, checked: the config file, the image, where it goes and how.
 *
 * @param config the config file ({@code --config}); empty when the command line says it all
 * @param image the image the command line describes ({@code --from}, {@code --layer}, ...); empty
 *     to take the config file's
 * @param references the images to push to, besides the config file's targets
 * @param tags the tags of every target without its own; empty for the config file's, else the
 *     references' own
 * @param plainHttp whether every target and the source may be reached over plain HTTP
 */
record CliArguments(
    Optional<Path> config,
    Optional<ImageSection> image,
    List<String> references,
    List<String> tags,
    boolean plainHttp) {}
