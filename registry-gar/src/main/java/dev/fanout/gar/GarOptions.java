package dev.fanout.gar;

import dev.fanout.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys of the settings an Artifact Registry target takes with {@link Target#option(String,
 * String)}.
 *
 * <pre>{@code
 * Target.to("europe-docker.pkg.dev/acme/images/app")
 *     .option(GarOptions.CREATE_REPOSITORY, "true")
 * }</pre>
 *
 * <p>An unknown {@code gar.} key or a bad value is a plan problem, reported before any network I/O
 * together with every other problem.
 */
public final class GarOptions {

  /**
   * Whether a missing Docker repository is created before the push: {@code false} (the default) or
   * {@code true}. Artifact Registry does not create repositories on push, so without it a missing
   * repository fails the target, with the {@code gcloud} command that creates it. A created
   * repository has format DOCKER and the location of the target's host ({@code
   * europe-docker.pkg.dev} → {@code europe}; {@code gcr.io} → {@code us}).
   */
  public static final String CREATE_REPOSITORY = "gar.createRepository";

  /** The prefix of every key this backend reads. */
  static final String PREFIX = "gar.";

  private static final Set<String> KEYS = Set.of(CREATE_REPOSITORY);

  private GarOptions() {}

  /**
   * Whether the target asked for its repository to be created.
   *
   * @param options the target's options, already validated
   * @return true when {@link #CREATE_REPOSITORY} is {@code true}
   */
  static boolean createRepository(Map<String, String> options) {
    return Boolean.parseBoolean(options.getOrDefault(CREATE_REPOSITORY, "false"));
  }

  /**
   * What is wrong with a target's {@code gar.} options.
   *
   * @param options the target's options
   * @return one sentence per problem
   */
  static List<String> problems(Map<String, String> options) {
    List<String> problems = new ArrayList<>();
    options.forEach(
        (key, value) -> {
          if (!key.startsWith(PREFIX)) {
            return;
          }
          if (!KEYS.contains(key)) {
            problems.add("unknown option '" + key + "' (known: " + String.join(", ", KEYS) + ")");
          } else if (!value.equals("true") && !value.equals("false")) {
            problems.add("option " + key + " takes true or false, not '" + value + "'");
          }
        });
    return problems;
  }
}
