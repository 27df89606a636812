package dev.fanout.cli.config;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.util.Optional;

/**
 * Checks image references, in a config file (where a bad one is reported with its place) and on the
 * command line.
 */
public final class References {

  private References() {}

  /**
   * What is wrong with an image reference, by Jib's reading of it (the one the run uses).
   *
   * @param reference such as {@code docker.io/acme/app:1.0}
   * @return a sentence naming the problem, or empty
   */
  public static Optional<String> problem(String reference) {
    try {
      ImageReference.parse(reference);
      return Optional.empty();
    } catch (InvalidImageReferenceException e) {
      return Optional.of(
          "'"
              + reference
              + "' is not a valid image reference (registry/repository[:tag], the repository in"
              + " lower case)");
    }
  }

  /**
   * Whether the reference under a key is valid; records the problem at its value when not.
   *
   * @param reference the reference
   * @param mapping the mapping that holds it
   * @param key its key
   * @param fields where the problem goes
   * @return true when it is valid
   */
  static boolean check(
      String reference, YamlFields.Mapping mapping, String key, YamlFields fields) {
    Optional<String> problem = problem(reference);
    problem.ifPresent(
        message ->
            fields.problems().at(mapping.get(key).orElseThrow(), mapping.path(key), message));
    return problem.isEmpty();
  }
}
