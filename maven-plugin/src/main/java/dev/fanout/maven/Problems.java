package dev.fanout.maven;

import dev.fanout.Plan;
import java.util.ArrayList;
import java.util.List;

/** Every problem of a build's Fanout configuration, the POM's and the plan's, in POM terms. */
final class Problems {

  /** Core's problem for a pipeline without an image; the POM's own problem already says why. */
  private static final String NO_IMAGE = "no image:";

  private Problems() {}

  /**
   * The POM's problems followed by the plan's.
   *
   * @param assembly the assembled pipeline
   * @param plan its plan
   * @return every problem, once
   */
  static List<String> of(AbstractFanoutMojo.Assembly assembly, Plan plan) {
    List<String> problems = new ArrayList<>(assembly.problems());
    return merge(problems, plan.problems(), assembly.image().isEmpty());
  }

  /**
   * The POM's problems followed by others from core.
   *
   * @param assembly the assembled pipeline
   * @param fromCore problems core found
   * @return every problem, once
   */
  static List<String> of(AbstractFanoutMojo.Assembly assembly, List<String> fromCore) {
    return merge(new ArrayList<>(assembly.problems()), fromCore, assembly.image().isEmpty());
  }

  private static List<String> merge(List<String> problems, List<String> fromCore, boolean noImage) {
    for (String problem : fromCore) {
      if (!(noImage && problem.startsWith(NO_IMAGE))) {
        problems.add(MavenWording.of(problem));
      }
    }
    return problems;
  }

  /**
   * The message a failed build shows.
   *
   * @param problems the problems
   * @return one line per problem
   */
  static String message(List<String> problems) {
    StringBuilder text =
        new StringBuilder("fanout: the configuration has ")
            .append(problems.size())
            .append(problems.size() == 1 ? " problem" : " problems")
            .append(", nothing was pushed:");
    problems.forEach(problem -> text.append("\n  - ").append(problem));
    return text.toString();
  }
}
