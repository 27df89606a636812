package dev.fanout;

import java.util.Objects;

/**
 * Decides whether a target takes part in a run, and explains the decision.
 *
 * <p>Conditions are evaluated when the pipeline is planned, against the pipeline's {@link
 * Environment}; they must not do network I/O. Ready-made ones are in {@link Conditions}.
 */
@FunctionalInterface
public interface Condition {

  /**
   * Evaluates this condition.
   *
   * @param environment the variables the pipeline sees
   * @return whether it holds, and why
   */
  Verdict evaluate(Environment environment);

  /**
   * A condition that holds when both this one and {@code other} hold.
   *
   * <p>When it does not hold, the reason is that of the first part that failed, so a plan says
   * "DOCKERHUB_TOKEN is not set" rather than a sentence about both.
   *
   * @param other the second condition; evaluated only when this one holds
   * @return the combined condition
   */
  default Condition and(Condition other) {
    Objects.requireNonNull(other, "other");
    return environment -> {
      Verdict first = evaluate(environment);
      if (!first.holds()) {
        return first;
      }
      Verdict second = other.evaluate(environment);
      return second.holds()
          ? Verdict.yes(first.reason() + " and " + second.reason())
          : second;
    };
  }

  /**
   * A condition that holds when this one or {@code other} holds.
   *
   * @param other the alternative; evaluated only when this one does not hold
   * @return the combined condition
   */
  default Condition or(Condition other) {
    Objects.requireNonNull(other, "other");
    return environment -> {
      Verdict first = evaluate(environment);
      if (first.holds()) {
        return first;
      }
      Verdict second = other.evaluate(environment);
      return second.holds()
          ? second
          : Verdict.no(first.reason() + ", and " + second.reason());
    };
  }
}
