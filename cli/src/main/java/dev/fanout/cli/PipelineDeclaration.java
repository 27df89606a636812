package dev.fanout.cli;

import dev.fanout.Conditions;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.PipelineBuilder;
import dev.fanout.TagRule;
import dev.fanout.Target;
import dev.fanout.cli.config.ImageSection;
import dev.fanout.cli.config.ImageSources;
import dev.fanout.cli.config.PipelineFile;
import dev.fanout.cli.config.TargetEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Declares the pipeline that the command line and the config file describe together, with the
 * library's DSL: the command line adds to the file, or replaces the part it names.
 *
 * <ul>
 *   <li>{@code --from}, {@code --layer}, {@code --entrypoint}, {@code --layer-cache}: the image,
 *       instead of the file's {@code image};
 *   <li>{@code --tag}, {@code --tag-rule}: the tags of every target without its own, instead of
 *       the file's {@code tags} and {@code tagRules};
 *   <li>each {@code REFERENCE}: one more target, after the file's, pushed whenever the command
 *       runs, with {@code FANOUT_USERNAME}/{@code FANOUT_PASSWORD} when either is set;
 *   <li>each {@code --to}: one more target, after those, with the same credentials, pushed only
 *       when its {@code --when-env} variables are set, and optional with {@code --optional};
 *   <li>{@code --plain-http}: plain HTTP allowed to every target and the source, the file's
 *       included.
 * </ul>
 */
final class PipelineDeclaration {

  /** The user name sent to every command-line reference, read from the environment. */
  static final String USERNAME_VARIABLE = "FANOUT_USERNAME";

  /** The password or token sent to every command-line reference, read from the environment. */
  static final String PASSWORD_VARIABLE = "FANOUT_PASSWORD";

  private PipelineDeclaration() {}

  /**
   * What the command line and the file leave out together: an image, a target.
   *
   * @param arguments the checked command line
   * @param file the checked config file, when one was given
   * @return the problems; empty when the pipeline has both
   */
  static List<String> gaps(CliArguments arguments, Optional<PipelineFile> file) {
    List<String> gaps = new ArrayList<>();
    String where = arguments.config().map(Path::toString).orElse("a config file");
    if (arguments.image().isEmpty() && file.flatMap(PipelineFile::image).isEmpty()) {
      gaps.add("no image: give --from or --layer, or image: in " + where);
    }
    if (arguments.references().isEmpty()
        && arguments.targets().isEmpty()
        && file.map(f -> f.targets().isEmpty()).orElse(true)) {
      gaps.add("no target: give a REFERENCE or --to, or targets: in " + where);
    }
    return gaps;
  }

  /**
   * The pipeline the command line and the file describe.
   *
   * @param arguments the checked command line
   * @param file the checked config file, when one was given
   * @param environment where the credentials are read
   * @return the pipeline, not yet planned or run
   * @throws IOException when a layer directory cannot be read
   */
  static PipelineBuilder declare(
      CliArguments arguments, Optional<PipelineFile> file, Environment environment)
      throws IOException {
    Optional<CredentialSource> fanoutCredentials =
        environment.isSet(USERNAME_VARIABLE) || environment.isSet(PASSWORD_VARIABLE)
            ? Optional.of(CredentialSource.fromEnvironment(USERNAME_VARIABLE, PASSWORD_VARIABLE))
            : Optional.empty();
    ImageSection image =
        arguments.image().or(() -> file.flatMap(PipelineFile::image)).orElseThrow();
    PipelineBuilder pipeline =
        Pipeline.prepare(environment)
            .image(
                ImageSources.of(
                    image,
                    fanoutCredentials.orElseGet(CredentialSource::dockerConfig),
                    arguments.plainHttp(),
                    environment));
    image.layerCache().ifPresent(pipeline::layerCache);
    Optional<List<TagRule>> tags =
        arguments.tags().isEmpty() ? file.flatMap(PipelineFile::tags) : Optional.of(arguments.tags());
    tags.ifPresent(
        rules ->
            pipeline.tags(rules.get(0), rules.subList(1, rules.size()).toArray(TagRule[]::new)));
    file.flatMap(PipelineFile::retry).ifPresent(pipeline::retryPolicy);
    for (TargetEntry entry : file.map(PipelineFile::targets).orElse(List.of())) {
      if (arguments.plainHttp()) {
        entry.target().allowPlainHttp();
      }
      pipeline.when(entry.when()).push(entry.target());
    }
    for (String reference : arguments.references()) {
      pipeline.push(commandLineTarget(reference, fanoutCredentials, arguments.plainHttp()));
    }
    for (CliArguments.CommandLineTarget given : arguments.targets()) {
      Target target = commandLineTarget(given.reference(), fanoutCredentials, arguments.plainHttp());
      if (given.optional()) {
        target.optional();
      }
      if (given.whenSet().isEmpty()) {
        pipeline.push(target);
      } else {
        pipeline
            .when(Conditions.credentialPresent(given.whenSet().toArray(String[]::new)))
            .push(target);
      }
    }
    return pipeline;
  }

  private static Target commandLineTarget(
      String reference, Optional<CredentialSource> credentials, boolean plainHttp) {
    Target target = Target.to(reference);
    credentials.ifPresent(target::credentials);
    if (plainHttp) {
      target.allowPlainHttp();
    }
    return target;
  }
}
