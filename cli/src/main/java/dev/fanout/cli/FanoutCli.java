package dev.fanout.cli;

import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.ImageSource;
import dev.fanout.Pipeline;
import dev.fanout.PipelineBuilder;
import dev.fanout.Target;
import dev.fanout.cli.CliArguments.LayerDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParseResult;

/**
 * Fanout from the command line: {@code fanout push} builds an image from scratch out of
 * directories (one layer each) once and pushes it to every reference given, then prints the
 * report; {@code fanout plan} shows what a push would do without opening a connection.
 *
 * <p>It exists for users who compare Fanout with other tools (skopeo, crane, {@code jib:build})
 * and for the benchmark in {@code bench/}, so it takes what those tools take: references, files,
 * credentials from the environment, and a switch for plain-HTTP registries on loopback. Every
 * backend is on its class path, so Docker Hub, ECR and Artifact Registry references work as they
 * do in the library.
 */
public final class FanoutCli {

  /** Every reference was pushed, or the plan can run. */
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

  /**
   * What a command line may start with besides a subcommand; anything else is taken as {@code
   * push}'s arguments, so that {@code fanout --layer app REF} (bench/, scripts written before the
   * subcommands) still pushes.
   */
  private static final Set<String> TOP_LEVEL_OPTIONS = Set.of("-h", "--help", "-V", "--version");

  private FanoutCli() {}

  /** The top of the command tree: its subcommands, {@code --help} and {@code --version}. */
  @Command(
      name = "fanout",
      mixinStandardHelpOptions = true,
      versionProvider = FanoutVersion.class,
      description = {
        "Builds a container image once and pushes it to every registry given.",
        "Without a subcommand, the arguments are push's.",
      },
      footer = {"", "Run 'fanout push --help' or 'fanout plan --help' for their options."})
  static final class Fanout {}

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
   * @param out where the report, the plan, help and the version go
   * @param err where usage and configuration errors go
   * @return the exit status: {@link #EXIT_PUSHED}, {@link #EXIT_FAILED} or {@link #EXIT_USAGE}
   */
  static int run(List<String> args, Environment environment, PrintStream out, PrintStream err) {
    CommandLine fanout = commandLine(out, err);
    ParseResult parsed =
        fanout.parseArgs(
            withDefaultSubcommand(args, fanout.getSubcommands().keySet()).toArray(String[]::new));
    if (CommandLine.printHelpIfRequested(parsed)) {
      return EXIT_PUSHED;
    }
    Optional<ParseResult> subcommand = Optional.ofNullable(parsed.subcommand());
    List<String> problems = new ArrayList<>();
    parsed.errors().forEach(error -> problems.add(error.getMessage()));
    if (subcommand.isEmpty()) {
      if (problems.isEmpty()) {
        problems.add("no subcommand given");
      }
      return usage(problems, fanout, err);
    }
    subcommand.get().errors().forEach(error -> problems.add(error.getMessage()));
    CommandLine command = subcommand.get().commandSpec().commandLine();
    Subcommand action = command.getCommand();
    Optional<CliArguments> arguments = action.options().arguments(problems);
    if (!problems.isEmpty()) {
      return usage(problems, command, err);
    }
    return action.run(arguments.orElseThrow(), environment, out, err);
  }

  private static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine fanout =
        new CommandLine(new Fanout())
            .addSubcommand(new PushCommand())
            .addSubcommand(new PlanCommand());
    // Every problem at once: picocli collects what it cannot parse instead of stopping at the
    // first, and the subcommand's own checks add theirs.
    fanout.getCommandSpec().parser().collectErrors(true);
    fanout.getSubcommands().values().forEach(c -> c.getCommandSpec().parser().collectErrors(true));
    fanout.setOut(new PrintWriter(out, true));
    fanout.setErr(new PrintWriter(err, true));
    return fanout;
  }

  private static List<String> withDefaultSubcommand(List<String> args, Set<String> subcommands) {
    if (args.isEmpty()
        || TOP_LEVEL_OPTIONS.contains(args.get(0))
        || subcommands.contains(args.get(0))) {
      return args;
    }
    List<String> push = new ArrayList<>(List.of("push"));
    push.addAll(args);
    return push;
  }

  private static int usage(List<String> problems, CommandLine command, PrintStream err) {
    problems.forEach(err::println);
    err.println();
    command.usage(err);
    return EXIT_USAGE;
  }

  /**
   * The pipeline the arguments describe: the image, its tags, and one target per reference, with
   * {@code FANOUT_USERNAME}/{@code FANOUT_PASSWORD} when either is set.
   *
   * @param arguments the checked command line
   * @param environment where the credentials are read
   * @return the pipeline, not yet planned or run
   * @throws IOException when a layer directory cannot be read
   */
  static PipelineBuilder declare(CliArguments arguments, Environment environment)
      throws IOException {
    boolean credentials =
        environment.isSet(USERNAME_VARIABLE) || environment.isSet(PASSWORD_VARIABLE);
    ImageSource source =
        arguments.from().isPresent()
            ? ImageSources.of(
                arguments.from().get(),
                credentials
                    ? CredentialSource.fromEnvironment(USERNAME_VARIABLE, PASSWORD_VARIABLE)
                    : CredentialSource.dockerConfig(),
                arguments.plainHttp(),
                environment)
            : ImageSource.jib(image(arguments));
    PipelineBuilder pipeline = Pipeline.prepare(environment).image(source);
    if (!arguments.tags().isEmpty()) {
      pipeline.tags(arguments.tags().toArray(String[]::new));
    }
    arguments.layerCache().ifPresent(pipeline::layerCache);
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
