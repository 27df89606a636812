package dev.fanout.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * One {@code --to} target with the options that hold for it alone; picocli groups each {@code --to}
 * with the {@code --when-env} and {@code --optional} that follow it.
 */
final class TargetOptions {

  @Option(
      names = "--to",
      required = true,
      paramLabel = "REFERENCE",
      description = "An image to push to; the options after it, up to the next --to, are its own.")
  String reference;

  @Option(
      names = "--when-env",
      paramLabel = "VAR[,VAR...]",
      split = ",",
      description =
          "Push to it only when every variable is set and not blank (its credentials, for"
              + " example); else it is skipped, with the reason in the plan.")
  List<String> whenSet = new ArrayList<>();

  @Option(
      names = "--optional",
      description = "Its failure is reported but does not fail the run (exit 0).")
  boolean optional;
}
