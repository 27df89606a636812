package dev.fanout.cli;

import dev.fanout.Environment;
import dev.fanout.PipelineBuilder;
import dev.fanout.PipelineConfigurationException;
import dev.fanout.Plan;
import dev.fanout.PushReport;
import dev.fanout.report.GitHubActions;
import dev.fanout.report.JsonReport;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fanout push}: builds the image once and pushes it to every reference, then reports. */
@Command(
    name = "push",
    mixinStandardHelpOptions = true,
    versionProvider = FanoutVersion.class,
    description = {
      "Builds an image once (from scratch, one layer per directory), or takes an existing one,"
          + " and pushes it to every REFERENCE and every target of --config concurrently. The"
          + " report goes to stdout, progress to stderr.",
    },
    footer = {
      "",
      "Credentials: FANOUT_USERNAME and FANOUT_PASSWORD for every REFERENCE (a config file's"
          + " targets name their own); when neither is set,"
          + " each registry's backend finds its own (Docker Hub: DOCKERHUB_*; ECR: the AWS chain;"
          + " Artifact Registry: Google's application default credentials; others: Docker's"
          + " config.json), else anonymous.",
      "Exit status: 0 when every target was pushed or skipped (an optional one may have failed), 1"
          + " when a required one or the build failed, 2 on a usage, config file or plan problem"
          + " (nothing sent).",
    })
final class PushCommand implements Subcommand {

  @Mixin private ImageOptions options;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description = "Also write the report as JSON to FILE (its schema: docs/ci-reporting.md, \"JSON report\").")
  private Path report;

  @Override
  public ImageOptions options() {
    return options;
  }

  @Override
  public int run(
      PipelineBuilder pipeline, Environment environment, PrintStream out, PrintStream err) {
    if (report != null) {
      pipeline.listener(JsonReport.to(report));
    }
    // In a GitHub Actions step: secrets masked, step outputs and summary (action.yml reads them).
    GitHubActions.fromEnvironment(environment, out).ifPresent(pipeline::listener);
    Plan plan = pipeline.plan();
    if (!plan.isValid()) {
      err.print(plan);
      return FanoutCli.EXIT_USAGE;
    }
    PushReport result;
    try {
      result = plan.run();
    } catch (PipelineConfigurationException e) {
      err.println(e.getMessage());
      return FanoutCli.EXIT_USAGE;
    }
    out.println(result);
    // As a release's status: a failed optional target is reported, but does not fail the run.
    return result.hasRequiredFailures() ? FanoutCli.EXIT_FAILED : FanoutCli.EXIT_PUSHED;
  }
}
