package dev.fanout;

import dev.fanout.internal.git.Semver;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/** Ready-made {@link Condition}s. */
public final class Conditions {

  private Conditions() {}

  /**
   * Holds when every named variable is set to something other than white space.
   *
   * <p>Empty and blank count as missing because CI systems pass an unset secret to a job as an
   * empty string; the reason tells them apart ("X is not set", "X is set but empty"), names the
   * variables, and never their values.
   *
   * @param names the variables that must be set; at least one
   * @return the condition
   */
  public static Condition credentialPresent(String... names) {
    List<String> required = List.of(Objects.requireNonNull(names, "names"));
    if (required.isEmpty()) {
      throw new IllegalArgumentException("credentialPresent needs at least one variable name");
    }
    for (String name : required) {
      if (name.isBlank()) {
        throw new IllegalArgumentException("credentialPresent was given a blank variable name");
      }
    }
    return environment -> {
      List<String> unset = new ArrayList<>();
      List<String> empty = new ArrayList<>();
      for (String name : required) {
        if (environment.get(name).isEmpty()) {
          unset.add(name);
        } else if (!environment.isSet(name)) {
          // CI hands an unset secret to a job as an empty variable: say which one it is.
          empty.add(name);
        }
      }
      if (unset.isEmpty() && empty.isEmpty()) {
        return Verdict.yes(sentence(required, "is set", "are set"));
      }
      List<String> reasons = new ArrayList<>();
      if (!unset.isEmpty()) {
        reasons.add(sentence(unset, "is not set", "are not set"));
      }
      if (!empty.isEmpty()) {
        reasons.add(sentence(empty, "is set but empty", "are set but empty"));
      }
      return Verdict.no(String.join("; ", reasons));
    };
  }

  /**
   * Always holds: the target always takes part.
   *
   * @return the condition
   */
  public static Condition always() {
    return environment -> Verdict.yes("always");
  }

  /**
   * Never holds: the target is declared but switched off.
   *
   * @return the condition
   */
  public static Condition never() {
    return environment -> Verdict.no("switched off");
  }

  /**
   * Holds when {@code condition} does not; the reason is the negated condition's own reason.
   *
   * @param condition the condition to negate
   * @return the negation
   */
  public static Condition not(Condition condition) {
    Objects.requireNonNull(condition, "condition");
    return environment -> {
      Verdict verdict = condition.evaluate(environment);
      return new Verdict(!verdict.holds(), verdict.reason());
    };
  }

  /**
   * Holds when the run builds the branch {@code name}: a push to it in CI, or a local checkout of
   * it. A pull request into it is not the branch.
   *
   * @param name the branch as git writes it, for example {@code main} or {@code release/1.x}
   * @return the condition; see {@link GitRef} for where the ref is read
   */
  public static Condition onBranch(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("onBranch was given a blank branch name");
    }
    return onRef(
        "on branch " + name,
        ref -> ref.kind() == GitRef.Kind.BRANCH && ref.name().equals(name));
  }

  /**
   * Holds when the run builds a tag, of any name.
   *
   * @return the condition; see {@link GitRef} for where the ref is read
   */
  public static Condition onTag() {
    return onRef("on a tag", ref -> ref.kind() == GitRef.Kind.TAG);
  }

  /**
   * Holds when the run builds a semantic-version tag ({@code v1.2.3}, {@code 1.2.3}, {@code
   * v2.0.0-rc.1}), the tags {@link TagRule#semver()} expands.
   *
   * @return the condition; see {@link GitRef} for where the ref is read
   */
  public static Condition onSemverTag() {
    return onRef(
        "on a version tag",
        ref -> ref.kind() == GitRef.Kind.TAG && Semver.parse(ref.name()).isPresent());
  }

  /**
   * Holds when the run builds a pull request (GitHub) or merge request (GitLab).
   *
   * @return the condition; see {@link GitRef} for where the ref is read
   */
  public static Condition onPullRequest() {
    return onRef("on a pull request", ref -> ref.kind() == GitRef.Kind.PULL_REQUEST);
  }

  /**
   * A condition on the run's ref whose reason names the ref and where it was read: "on branch
   * main: branch main (GitHub Actions)", "not on a version tag: branch main (local git)". The ref
   * comes from the environment, which a plan gives the ref it read once.
   */
  private static Condition onRef(String wanted, Predicate<GitRef> test) {
    return environment -> {
      GitRef ref = environment.gitRef();
      return test.test(ref)
          ? Verdict.yes(wanted + ": " + ref)
          : Verdict.no("not " + wanted + ": " + ref);
    };
  }

  private static String sentence(List<String> names, String singular, String plural) {
    if (names.size() == 1) {
      return names.get(0) + " " + singular;
    }
    String head = String.join(", ", names.subList(0, names.size() - 1));
    return head + " and " + names.get(names.size() - 1) + " " + plural;
  }
}
