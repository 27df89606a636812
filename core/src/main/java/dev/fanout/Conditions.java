package dev.fanout;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Ready-made {@link Condition}s. */
public final class Conditions {

  private Conditions() {}

  /**
   * Holds when every named variable is set to something other than white space.
   *
   * <p>Unset, empty and blank count as "not set" because CI systems pass an unset secret to a job
   * as an empty string. The reason names the variables, never their values.
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
      List<String> missing = new ArrayList<>();
      for (String name : required) {
        if (!environment.isSet(name)) {
          missing.add(name);
        }
      }
      if (missing.isEmpty()) {
        return Verdict.yes(sentence(required, "is set", "are set"));
      }
      return Verdict.no(sentence(missing, "is not set", "are not set"));
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

  private static String sentence(List<String> names, String singular, String plural) {
    if (names.size() == 1) {
      return names.get(0) + " " + singular;
    }
    String head = String.join(", ", names.subList(0, names.size() - 1));
    return head + " and " + names.get(names.size() - 1) + " " + plural;
  }
}
