package dev.fanout.cli;

import dev.fanout.Environment;
import dev.fanout.PipelineBuilder;
import dev.fanout.Plan;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fanout plan}: what {@code push} would do with the same arguments, without the network. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    versionProvider = FanoutVersion.class,
    description = {
      "Shows what push would do with the same arguments, opening no connection: every target, the"
          + " backend that serves it, its tags, whether it is pushed or skipped and why, and every"
          + " problem at once.",
    },
    footer = {"", "Exit status: 0 when the plan can run, 2 when it has problems."})
final class PlanCommand implements Subcommand {

  @Mixin private ImageOptions options;

  @Override
  public ImageOptions options() {
    return options;
  }

  @Override
  public int run(
      PipelineBuilder pipeline, Environment environment, PrintStream out, PrintStream err) {
    Plan plan = pipeline.plan();
    out.print(plan);
    return plan.isValid() ? FanoutCli.EXIT_PUSHED : FanoutCli.EXIT_USAGE;
  }
}
