package dev.fanout.maven;

import dev.fanout.Condition;
import dev.fanout.Conditions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * Turns a {@code <when>} element into a Fanout {@link Condition}, reporting what is wrong in it.
 */
final class PomConditions {

  private PomConditions() {}

  /**
   * The condition a {@code <when>} element states.
   *
   * @param when the element; null means always
   * @param where names the element in problems, for example {@code target docker.io/acme/app}
   * @param problems receives every problem found; the returned condition is then meaningless
   * @return the condition
   */
  static Condition of(WhenParameters when, String where, List<String> problems) {
    if (when == null) {
      return Conditions.always();
    }
    return parse(when, where + ": <when>", problems);
  }

  private static Condition parse(WhenParameters when, String where, List<String> problems) {
    List<Condition> parts = new ArrayList<>();
    if (when.credentialPresent != null) {
      List<String> names =
          when.credentialPresent.stream().map(String::trim).filter(n -> !n.isEmpty()).toList();
      if (names.isEmpty()) {
        problems.add(where + " <credentialPresent> names no variable");
      } else {
        parts.add(Conditions.credentialPresent(names.toArray(String[]::new)));
      }
    }
    if (when.branch != null) {
      if (when.branch.isBlank()) {
        problems.add(where + " <branch> is empty");
      } else {
        parts.add(Conditions.onBranch(when.branch.trim()));
      }
    }
    addFlag(parts, when.tag, Conditions.onTag());
    addFlag(parts, when.semverTag, Conditions.onSemverTag());
    addFlag(parts, when.pullRequest, Conditions.onPullRequest());
    nested(when.and, where + " <and>", problems, Condition::and).forEach(parts::add);
    nested(when.or, where + " <or>", problems, Condition::or).forEach(parts::add);
    if (when.not != null) {
      parts.add(Conditions.not(parse(when.not, where + " <not>", problems)));
    }
    if (parts.isEmpty()) {
      problems.add(
          where
              + " states no condition: give <credentialPresent>, <branch>, <tag>, <semverTag>,"
              + " <pullRequest>, <and>, <or> or <not>");
      return Conditions.never();
    }
    return combine(parts, Condition::and);
  }

  private static void addFlag(List<Condition> parts, Boolean flag, Condition condition) {
    if (flag != null) {
      parts.add(flag ? condition : Conditions.not(condition));
    }
  }

  private static List<Condition> nested(
      List<WhenParameters> children,
      String where,
      List<String> problems,
      BinaryOperator<Condition> join) {
    if (children == null) {
      return List.of();
    }
    if (children.isEmpty()) {
      problems.add(where + " holds no <when>");
      return List.of();
    }
    List<Condition> conditions = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      conditions.add(parse(children.get(i), where + " #" + (i + 1), problems));
    }
    return List.of(combine(conditions, join));
  }

  private static Condition combine(List<Condition> conditions, BinaryOperator<Condition> join) {
    return conditions.stream().reduce(join).orElseThrow();
  }
}
