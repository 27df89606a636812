package dev.fanout;

import java.util.Objects;

/**
 * The outcome of a {@link Condition}: whether it holds, and why, in words a plan can print
 * ("DOCKERHUB_TOKEN is not set").
 *
 * @param holds whether the condition holds
 * @param reason why it holds or does not; never contains a variable's value
 */
public record Verdict(boolean holds, String reason) {

  /**
   * Checks the reason.
   *
   * @param holds whether the condition holds
   * @param reason why; not blank
   */
  public Verdict {
    Objects.requireNonNull(reason, "reason");
    if (reason.isBlank()) {
      throw new IllegalArgumentException("a verdict needs a reason");
    }
  }

  /**
   * A verdict that holds.
   *
   * @param reason why it holds
   * @return the verdict
   */
  public static Verdict yes(String reason) {
    return new Verdict(true, reason);
  }

  /**
   * A verdict that does not hold.
   *
   * @param reason why it does not hold
   * @return the verdict
   */
  public static Verdict no(String reason) {
    return new Verdict(false, reason);
  }
}
