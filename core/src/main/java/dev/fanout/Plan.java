package dev.fanout;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a run would do, worked out without any network I/O: every target with its backend, tags and
 * whether it takes part (and why), plus every configuration problem found, all at once.
 *
 * <p>Immutable. {@link #toString()} renders it as a table for people.
 */
public final class Plan {

  private final String image;
  private final Optional<Path> tarball;
  private final List<PlannedTarget> targets;
  private final List<String> problems;
  private final List<String> warnings;

  /**
   * A plan; built by the pipeline.
   *
   * @param image what the image is built from
   * @param tarball where the image is also written as a tarball, if anywhere
   * @param targets every declared target, in declaration order
   * @param problems configuration problems; a run refuses to start while there are any
   * @param warnings things worth knowing that do not stop a run (a backend that failed to load)
   */
  public Plan(
      String image,
      Optional<Path> tarball,
      List<PlannedTarget> targets,
      List<String> problems,
      List<String> warnings) {
    this.image = image;
    this.tarball = tarball;
    this.targets = List.copyOf(targets);
    this.problems = List.copyOf(problems);
    this.warnings = List.copyOf(warnings);
  }

  /**
   * What the image is built from.
   *
   * @return a description of the image source
   */
  public String image() {
    return image;
  }

  /**
   * Where the built image is also written as a {@code docker load}-able tarball.
   *
   * @return the path, if one was asked for
   */
  public Optional<Path> tarball() {
    return tarball;
  }

  /**
   * Every declared target, in declaration order.
   *
   * @return the targets
   */
  public List<PlannedTarget> targets() {
    return targets;
  }

  /**
   * The targets that take part.
   *
   * @return the enabled targets
   */
  public List<PlannedTarget> enabled() {
    return targets.stream().filter(PlannedTarget::enabled).toList();
  }

  /**
   * The targets that are skipped, each with its reason.
   *
   * @return the skipped targets
   */
  public List<PlannedTarget> skipped() {
    return targets.stream().filter(target -> !target.enabled()).toList();
  }

  /**
   * Every configuration problem found; a run does not start while there is one.
   *
   * @return the problems, each a sentence naming what is wrong
   */
  public List<String> problems() {
    return problems;
  }

  /**
   * Things worth knowing that do not stop a run.
   *
   * @return the warnings
   */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * Whether the plan can run.
   *
   * @return true when there are no problems
   */
  public boolean isValid() {
    return problems.isEmpty();
  }

  /** The plan as a table, followed by its problems and warnings. */
  @Override
  public String toString() {
    TextTable table = new TextTable("TARGET", "BACKEND", "TAGS", "ACTION", "WHY");
    for (PlannedTarget target : targets) {
      table.row(
          target.reference(),
          target.backend(),
          String.join(",", target.tags()),
          target.enabled() ? (target.optional() ? "push (optional)" : "push") : "skip",
          target.reason());
    }
    StringBuilder text = new StringBuilder("Plan: build once from ").append(image);
    tarball.ifPresent(path -> text.append(", write ").append(path));
    text.append('\n').append(table);
    problems.forEach(problem -> text.append("problem: ").append(problem).append('\n'));
    warnings.forEach(warning -> text.append("warning: ").append(warning).append('\n'));
    return text.toString();
  }
}
