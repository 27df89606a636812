package dev.fanout.cli;

import dev.fanout.Environment;
import dev.fanout.PipelineBuilder;
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
   * @param pipeline the pipeline its options and config file declare, not yet planned
   * @param environment the environment the pipeline reads, for listeners that read it too
   * @param out where its result goes
   * @param err where problems go
   * @return the exit status
   */
  int run(PipelineBuilder pipeline, Environment environment, PrintStream out, PrintStream err);
}
