package dev.fanout.cli;

import dev.fanout.TagRule;
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
 * @param references the images to push to always, besides the config file's targets
 * @param targets the images given with {@code --to}, each with its condition and optional flag
 * @param tags the tags of every target without its own, literal tags and tag rules; empty for the
 *     config file's, else the references' own
 * @param plainHttp whether every target and the source may be reached over plain HTTP
 */
record CliArguments(
    Optional<Path> config,
    Optional<ImageSection> image,
    List<String> references,
    List<CommandLineTarget> targets,
    List<TagRule> tags,
    boolean plainHttp) {

  /**
   * A target given with {@code --to}.
   *
   * @param reference the image to push to
   * @param whenSet the variables that must all be set and not blank; empty to push always
   * @param optional whether its failure leaves the run successful
   */
  record CommandLineTarget(String reference, List<String> whenSet, boolean optional) {}
}
