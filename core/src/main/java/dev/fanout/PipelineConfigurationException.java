package dev.fanout;

import java.util.List;

/**
 * Thrown by {@link PipelineBuilder#run()} before any network I/O when the pipeline's configuration
 * has problems; the message lists every one of them.
 */
public final class PipelineConfigurationException extends IllegalStateException {

  /** Every problem found, in the order found. */
  private final List<String> problems;

  /**
   * An exception for the given problems.
   *
   * @param problems every problem found; at least one
   */
  public PipelineConfigurationException(List<String> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  /**
   * Every problem found.
   *
   * @return the problems, each a sentence
   */
  public List<String> problems() {
    return problems;
  }

  private static String message(List<String> problems) {
    StringBuilder text =
        new StringBuilder("the pipeline has ")
            .append(problems.size())
            .append(problems.size() == 1 ? " problem:" : " problems:");
    problems.forEach(problem -> text.append("\n  - ").append(problem));
    return text.toString();
  }
}
