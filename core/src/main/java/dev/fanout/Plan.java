package dev.fanout;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a run would do, worked out without any network I/O: every target with its backend, tags and
 * whether it takes part (and why), plus every configuration problem found, all at once.
 *
 * <p>A plan made by {@link PipelineBuilder#plan()} can be {@linkplain #run() run}: the run carries
 * out exactly these decisions, so what a plan shows is what happens, and conditions, tag rules and
 * the git ref are worked out once.
 *
 * <pre>{@code
 * Plan plan = pipeline.plan();
 * System.out.print(plan);
 * PushReport report = plan.run();
 * }</pre>
 *
 * <p>Immutable. {@link #toString()} renders it as a table for people.
 */
public final class Plan {

  private final String image;
  private final Optional<Path> tarball;
  private final List<PlannedTarget> targets;
  private final List<String> problems;
  private final List<String> warnings;
  private final Function<Plan, PushReport> runner;

  /**
   * A plan that describes a run but cannot carry it out, for reporters and their tests; {@link
   * PipelineBuilder#plan()} makes the plans that {@linkplain #run() run}.
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
    this(image, tarball, targets, problems, warnings, null);
  }

  private Plan(
      String image,
      Optional<Path> tarball,
      List<PlannedTarget> targets,
      List<String> problems,
      List<String> warnings,
      Function<Plan, PushReport> runner) {
    this.image = image;
    this.tarball = tarball;
    this.targets = List.copyOf(targets);
    this.problems = List.copyOf(problems);
    this.warnings = List.copyOf(warnings);
    this.runner = runner;
  }

  /** The same plan, carried out by {@code runner} when it is run. */
  Plan runnable(Function<Plan, PushReport> runner) {
    return new Plan(image, tarball, targets, problems, warnings, runner);
  }

  /**
   * Carries out this plan: readies the enabled targets, builds the image once and pushes it to each
   * of them. The targets, tags, backends and git ref are the ones this plan shows; nothing is
   * planned again. A plan runs once: its backends serve one run; plan again for another.
   *
   * @return the report; a registry's failure is recorded there, not thrown
   * @throws PipelineConfigurationException before any network I/O, when the plan has problems
   * @throws IllegalStateException when the plan has run already, or was made with the public
   *     constructor rather than by {@link PipelineBuilder#plan()}
   */
  public PushReport run() {
    if (runner == null) {
      throw new IllegalStateException(
          "this plan was made by hand, not by PipelineBuilder.plan(), so it has nothing to run");
    }
    return runner.apply(this);
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
