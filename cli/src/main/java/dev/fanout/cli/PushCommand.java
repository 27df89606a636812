package dev.fanout.cli;

import dev.fanout.Environment;
import dev.fanout.PipelineBuilder;
import dev.fanout.PipelineConfigurationException;
import dev.fanout.Plan;
import dev.fanout.PushReport;
import dev.fanout.report.GitHubActions;
import dev.fanout.report.JsonReport;
import java.io.IOException;
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
      "Builds an image from scratch, one layer per directory, once, and pushes it to every"
          + " REFERENCE concurrently. The report goes to stdout, progress to stderr.",
    },
    footer = {
      "",
      "Credentials: FANOUT_USERNAME and FANOUT_PASSWORD for every reference; when neither is set,"
          + " each registry's backend finds its own (Docker Hub: DOCKERHUB_*; ECR: the AWS chain;"
          + " Artifact Registry: Google's application default credentials; others: Docker's"
          + " config.json), else anonymous.",
      "Exit status: 0 when every reference was pushed, 1 when one failed or the build failed, 2 on"
          + " a usage or plan problem (nothing sent).",
    })
final class PushCommand implements Subcommand {

  @Mixin private ImageOptions options;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description = "Also write the report as JSON to FILE (its schema: README, \"JSON report\").")
  private Path report;

  @Override
  public ImageOptions options() {
    return options;
  }

  @Override
  public int run(
      CliArguments arguments, Environment environment, PrintStream out, PrintStream err) {
    PipelineBuilder pipeline;
    try {
      pipeline = FanoutCli.declare(arguments, environment);
    } catch (IOException e) {
      err.println("cannot read a layer directory: " + e.getMessage());
      return FanoutCli.EXIT_USAGE;
    }
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
      result = pipeline.run();
    } catch (PipelineConfigurationException e) {
      err.println(e.getMessage());
      return FanoutCli.EXIT_USAGE;
    }
    out.println(result);
    return result.hasFailures() || result.digest().isEmpty()
        ? FanoutCli.EXIT_FAILED
        : FanoutCli.EXIT_PUSHED;
  }
}
