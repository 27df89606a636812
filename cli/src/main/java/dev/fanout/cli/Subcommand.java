package dev.fanout.cli;

import dev.fanout.Environment;
import java.io.PrintStream;

/** A subcommand of {@code fanout} that works on an image and its targets. */
interface Subcommand {

  /**
   * The options it was given.
   *
   * @return the options, as picocli filled them
   */
  ImageOptions options();

  /**
   * Runs it.
   *
   * @param arguments the checked options
   * @param environment where credentials are read
   * @param out where its result goes
   * @param err where problems go
   * @return the exit status
   */
  int run(CliArguments arguments, Environment environment, PrintStream out, PrintStream err);
}
