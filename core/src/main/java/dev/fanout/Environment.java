package dev.fanout;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A key → value lookup of environment variables.
 *
 * <p>Fanout never reads the process environment behind the caller's back: conditions, credential
 * sources and backends ask an {@code Environment}, so a test or an embedding build tool can say
 * exactly what Fanout sees. {@link #system()} is the one place that reads {@link System#getenv()}.
 */
@FunctionalInterface
public interface Environment {

  /**
   * The raw value of a variable, as set.
   *
   * @param name the variable's name
   * @return its value, or empty when it is not set
   */
  Optional<String> get(String name);

  /**
   * The value of a variable when it holds something other than white space.
   *
   * <p>CI systems hand an unset secret to a job as an empty string, so Fanout treats unset, empty
   * and blank alike.
   *
   * @param name the variable's name
   * @return its value, or empty when it is unset, empty or blank
   */
  default Optional<String> value(String name) {
    return get(name).filter(value -> !value.isBlank());
  }

  /**
   * Whether a variable holds something other than white space.
   *
   * @param name the variable's name
   * @return true when {@link #value(String)} is present
   */
  default boolean isSet(String name) {
    return value(name).isPresent();
  }

  /**
   * Why a variable has no value, in the words a plan uses: {@code X is not set}, or {@code X is set
   * but empty} (or blank). CI systems hand an unset secret to a job as an empty variable, so the
   * second usually means a secret missing from the repository or the job, not from the step.
   *
   * @param name the variable's name
   * @return the sentence, naming the variable and never its value; for a variable that holds a
   *     value, {@code X is set}
   */
  default String whyNoValue(String name) {
    if (get(name).isEmpty()) {
      return name + " is not set";
    }
    return isSet(name) ? name + " is set" : name + " is set but empty";
  }

  /**
   * The project's folder: where the local git repository is looked for when no CI variables name
   * the run's ref ({@link GitRef#detect(Environment)}).
   *
   * @return the process's working folder, unless the environment was made for another
   */
  default Path workingDirectory() {
    return Path.of("").toAbsolutePath();
  }

  /**
   * The git ref a run builds, read from this environment's CI variables or the repository around
   * its {@linkplain #workingDirectory() working folder}.
   *
   * <p>A plan reads it at most once and shows every condition and tag rule of the plan the same
   * ref, so the {@code git} command runs at most once per plan; this default reads it on each call.
   *
   * @return the ref; see {@link GitRef#detect(Environment)}
   */
  default GitRef gitRef() {
    return GitRef.detect(this);
  }

  /**
   * The environment of this process.
   *
   * @return a view of {@link System#getenv()}
   */
  static Environment system() {
    Map<String, String> variables = System.getenv();
    return name -> Optional.ofNullable(variables.get(name));
  }

  /**
   * An environment holding exactly the given variables; for tests and for embedding tools that
   * have their own notion of an environment.
   *
   * @param variables the variables; copied
   * @return the environment
   */
  static Environment of(Map<String, String> variables) {
    Map<String, String> copy = Map.copyOf(Objects.requireNonNull(variables, "variables"));
    return name -> Optional.ofNullable(copy.get(name));
  }

  /**
   * An environment holding exactly the given variables, for a project in another folder than the
   * process's: what a build tool's daemon, whose working folder is its own, passes.
   *
   * @param variables the variables; copied
   * @param workingDirectory the project's folder
   * @return the environment
   */
  static Environment of(Map<String, String> variables, Path workingDirectory) {
    Environment environment = of(variables);
    Path directory = workingDirectory.toAbsolutePath();
    return new Environment() {
      @Override
      public Optional<String> get(String name) {
        return environment.get(name);
      }

      @Override
      public Path workingDirectory() {
        return directory;
      }
    };
  }
}
