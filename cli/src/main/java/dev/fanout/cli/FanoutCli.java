package dev.fanout.cli;

import dev.fanout.Environment;
import dev.fanout.PipelineBuilder;
import dev.fanout.cli.config.PipelineFile;
import dev.fanout.cli.config.PipelineFileReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParseResult;

/**
 * Fanout from the command line: {@code fanout push} builds an image once (or takes an existing one)
 * and pushes it to every reference given and every target of its config file, then prints the
 * report; {@code fanout plan} shows what a push would do without opening a connection.
 *
 * <p>It is for people who do not write Java: a release pipeline in {@code fanout.yml} (targets,
 * their conditions, credentials by variable name, tags, retries), or what skopeo and crane users
 * type (references, files, a switch for plain-HTTP registries on loopback). Both become the
 * library's DSL; no second engine. Every backend is on its class path, so Docker Hub, ECR and
 * Artifact Registry references work as they do in the library.
 */
public final class FanoutCli {

  /** Every target was pushed or skipped (an optional one may have failed), or the plan can run. */
  static final int EXIT_PUSHED = 0;

  /** The build or a required target failed; the report says which and why. */
  static final int EXIT_FAILED = 1;

  /** The command line or the plan is wrong; nothing was sent. */
  static final int EXIT_USAGE = 2;

  /**
   * What a command line may start with besides a subcommand; anything else is taken as {@code
   * push}'s arguments, so that {@code fanout --layer app REF} (bench/, scripts written before the
   * subcommands) still pushes.
   */
  private static final Set<String> TOP_LEVEL_OPTIONS = Set.of("-h", "--help", "-V", "--version");

  /**
   * The one subcommand that describes the whole tree: the completion script it prints completes
   * every subcommand, so every one is made for it.
   */
  private static final String COMPLETION = "generate-completion";

  /**
   * The subcommands by the names their {@code @Command} gives, in the order {@code --help} lists
   * them. Each is made only when it may run: picocli reflects over a command's annotated options
   * when it is added, and adding all four took 64 ms of a push's main thread where adding push
   * alone takes 20 ms (async-profiler, wall clock, bench/'s push on 2 cores).
   */
  private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

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
      footer = {
        "",
        "Run 'fanout push --help' or 'fanout plan --help' for their options.",
        "Shell completion for bash and zsh: source <(fanout generate-completion)"
      })
  static final class Fanout {}

  /** The JDK's system property for the size of its HttpClient's buffers. */
  private static final String HTTP_BUFFER_SIZE = "jdk.httpclient.bufsize";

  /** The command's HttpClient buffer size: see {@link #main}. */
  private static final int HTTP_BUFFER_BYTES = 256 * 1024;

  /**
   * Runs the command with the process environment and exits with its status.
   *
   * @param args see {@code --help}
   */
  public static void main(String[] args) {
    // picocli looks for Groovy's Closure class the first time it makes a command; on a class path
    // without Groovy that lookup opens every jar of lib/ (60 ms of the main thread in a push; the
    // warm-up's service lookups then open them beside it). Fanout has no Groovy.
    System.setProperty("picocli.disable.closures", "true");
    // Java's HttpClient sends a request body in buffers of this size (16 KiB by default), each one
    // allocated, filled and written on its own; a push sends every blob to every target through
    // them. 256 KiB: the bench image to 3 registries 2.66 -> 2.53 s, client CPU 3.03 -> 2.76 s
    // (medians of 6 interleaved runs, 2026-12-05). Set before any HttpClient class loads, which
    // reads it once; a value given with -D is kept.
    if (System.getProperty(HTTP_BUFFER_SIZE) == null) {
      System.setProperty(HTTP_BUFFER_SIZE, Integer.toString(HTTP_BUFFER_BYTES));
    }
    List<String> line = Arrays.asList(args);
    if (withDefaultSubcommand(line).stream().findFirst().filter("push"::equals).isPresent()) {
      WarmUp.start();
    }
    System.exit(run(line, Environment.system(), System.out, System.err));
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
    List<String> line = withDefaultSubcommand(args);
    CommandLine fanout = commandLine(line.isEmpty() ? "" : line.get(0), out, err);
    ParseResult parsed = fanout.parseArgs(line.toArray(String[]::new));
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
    if (command.getCommand() instanceof Runnable standalone) {
      // version and generate-completion: no image, no targets.
      if (!problems.isEmpty()) {
        return usage(problems, command, err);
      }
      standalone.run();
      return EXIT_PUSHED;
    }
    Subcommand action = command.getCommand();
    Optional<CliArguments> arguments = action.options().arguments(problems);
    if (!problems.isEmpty()) {
      return usage(problems, command, err);
    }
    Optional<PipelineFile> file = Optional.empty();
    if (arguments.get().config().isPresent()) {
      file = PipelineFileReader.read(arguments.get().config().get(), problems);
      if (!problems.isEmpty()) {
        // The file's problems name their places; the usage text would bury them.
        problems.forEach(err::println);
        err.println(
            problems.size()
                + (problems.size() == 1 ? " problem" : " problems")
                + " in the config file; nothing was sent");
        return EXIT_USAGE;
      }
    }
    problems.addAll(PipelineDeclaration.gaps(arguments.get(), file));
    if (!problems.isEmpty()) {
      return usage(problems, command, err);
    }
    PipelineBuilder pipeline;
    try {
      pipeline = PipelineDeclaration.declare(arguments.get(), file, environment);
    } catch (IOException e) {
      err.println("cannot read a layer directory: " + e.getMessage());
      return EXIT_USAGE;
    }
    return action.run(pipeline, environment, out, err);
  }

  /**
   * The command tree for a command line: the top with only the subcommand it names, or with every
   * subcommand when it names none (help lists them all, an unknown word is matched against them)
   * or asks for the completion script.
   */
  private static CommandLine commandLine(String first, PrintStream out, PrintStream err) {
    CommandLine fanout = new CommandLine(new Fanout());
    if (SUBCOMMANDS.containsKey(first) && !first.equals(COMPLETION)) {
      fanout.addSubcommand(SUBCOMMANDS.get(first).get());
    } else {
      SUBCOMMANDS.values().forEach(subcommand -> fanout.addSubcommand(subcommand.get()));
    }
    // Every problem at once: picocli collects what it cannot parse instead of stopping at the
    // first, and the subcommand's own checks add theirs.
    fanout.getCommandSpec().parser().collectErrors(true);
    fanout.getSubcommands().values().forEach(c -> c.getCommandSpec().parser().collectErrors(true));
    fanout.setOut(new PrintWriter(out, true));
    fanout.setErr(new PrintWriter(err, true));
    return fanout;
  }

  private static Map<String, Supplier<Object>> subcommands() {
    // Lambdas, not constructor references: a class is then loaded only when its command is made.
    // And -Xshare:dump (the launchers' class-data archive) links the class a constructor reference
    // names, then leaves it out of the archive if it is a Java 5 class file, as picocli's are.
    Map<String, Supplier<Object>> byName = new LinkedHashMap<>();
    byName.put("push", () -> new PushCommand());
    byName.put("plan", () -> new PlanCommand());
    byName.put("version", () -> new VersionCommand());
    // Prints a bash/zsh completion script: source <(fanout generate-completion)
    byName.put(COMPLETION, () -> new AutoComplete.GenerateCompletion());
    return Collections.unmodifiableMap(byName);
  }

  /**
   * The names of the subcommands, in the order {@code --help} lists them.
   *
   * @return the names
   */
  static Set<String> subcommandNames() {
    return SUBCOMMANDS.keySet();
  }

  private static List<String> withDefaultSubcommand(List<String> args) {
    if (args.isEmpty()
        || TOP_LEVEL_OPTIONS.contains(args.get(0))
        || SUBCOMMANDS.containsKey(args.get(0))) {
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
}
