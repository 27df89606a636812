package dev.fanout.cli;

import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.PipelineBuilder;
import dev.fanout.PipelineConfigurationException;
import dev.fanout.Plan;
import dev.fanout.PushReport;
import dev.fanout.Target;
import dev.fanout.cli.CliArguments.LayerDirectory;
import dev.fanout.cli.CliArguments.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Fanout from the command line: builds an image from scratch out of directories (one layer each)
 * once and pushes it to every reference given, then prints the report.
 *
 * <p>It exists for users who compare Fanout with other tools (skopeo, crane, {@code jib:build})
 * and for the benchmark in {@code bench/}, so it takes what those tools take: references, files,
 * credentials from the environment, and a switch for plain-HTTP registries on loopback.
 */
public final class FanoutCli {

  /** Every reference was pushed. */
  static final int EXIT_PUSHED = 0;

  /** The build or at least one push failed; the report says which and why. */
  static final int EXIT_FAILED = 1;

  /** The command line or the plan is wrong; nothing was sent. */
  static final int EXIT_USAGE = 2;

  /** The user name sent to every reference, read from the environment. */
  static final String USERNAME_VARIABLE = "FANOUT_USERNAME";

  /** The password or token sent to every reference, read from the environment. */
  static final String PASSWORD_VARIABLE = "FANOUT_PASSWORD";

  /**
   * The image's creation time, fixed so that the same directories give the same digest on every
   * run; Jib already fixes every file's time (at 1970-01-01T00:00:01Z).
   */
  static final Instant CREATION_TIME = Instant.EPOCH;

  private FanoutCli() {}

  /**
   * Runs the command with the process environment and exits with its status.
   *
   * @param args see {@code --help}
   */
  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), Environment.system(), System.out, System.err));
  }

  /**
   * Runs the command.
   *
   * @param args the command line
   * @param environment where the credentials are read
   * @param out where the report goes
   * @param err where usage and configuration errors go
   * @return the exit status: {@link #EXIT_PUSHED}, {@link #EXIT_FAILED} or {@link #EXIT_USAGE}
   */
  static int run(List<String> args, Environment environment, PrintStream out, PrintStream err) {
    Optional<CliArguments> parsed;
    try {
      parsed = CliArguments.parse(args);
    } catch (UsageException e) {
      err.println(e.getMessage());
      err.println();
      err.println(CliArguments.USAGE);
      return EXIT_USAGE;
    }
    if (parsed.isEmpty()) {
      out.println(CliArguments.USAGE);
      return EXIT_PUSHED;
    }
    PipelineBuilder pipeline;
    try {
      pipeline = declare(parsed.get(), environment);
    } catch (IOException e) {
      err.println("cannot read a layer directory: " + e.getMessage());
      return EXIT_USAGE;
    }
    Plan plan = pipeline.plan();
    if (!plan.isValid()) {
      err.println(plan);
      return EXIT_USAGE;
    }
    PushReport report;
    try {
      report = pipeline.run();
    } catch (PipelineConfigurationException e) {
      err.println(e.getMessage());
      return EXIT_USAGE;
    }
    out.println(report);
    return report.hasFailures() || report.digest().isEmpty() ? EXIT_FAILED : EXIT_PUSHED;
  }

  static PipelineBuilder declare(CliArguments arguments, Environment environment)
      throws IOException {
    PipelineBuilder pipeline = Pipeline.prepare(environment).image(image(arguments));
    if (!arguments.tags().isEmpty()) {
      pipeline.tags(arguments.tags().toArray(String[]::new));
    }
    arguments.layerCache().ifPresent(pipeline::layerCache);
    boolean credentials =
        environment.isSet(USERNAME_VARIABLE) || environment.isSet(PASSWORD_VARIABLE);
    for (String reference : arguments.references()) {
      Target target = Target.to(reference);
      if (credentials) {
        target.credentials(CredentialSource.fromEnvironment(USERNAME_VARIABLE, PASSWORD_VARIABLE));
      }
      if (arguments.plainHttp()) {
        target.allowPlainHttp();
      }
      pipeline.push(target);
    }
    return pipeline;
  }

  private static JibContainerBuilder image(CliArguments arguments) throws IOException {
    JibContainerBuilder image = Jib.fromScratch().setCreationTime(CREATION_TIME);
    for (LayerDirectory layer : arguments.layers()) {
      image.addFileEntriesLayer(
          FileEntriesLayer.builder()
              .setName(layer.pathInImage().toString())
              .addEntryRecursive(layer.directory(), layer.pathInImage())
              .build());
    }
    if (!arguments.entrypoint().isEmpty()) {
      image.setEntrypoint(arguments.entrypoint());
    }
    return image;
  }
}
