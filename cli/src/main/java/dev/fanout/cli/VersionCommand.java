package dev.fanout.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code fanout version}: what {@code fanout --version} prints, as a subcommand. */
@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    description = "Prints Fanout's version and the Java it runs on.")
final class VersionCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    spec.parent().commandLine().printVersionHelp(spec.commandLine().getOut());
  }
}
