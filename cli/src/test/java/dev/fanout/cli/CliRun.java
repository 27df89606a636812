package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Environment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the command in this JVM, with what it printed to stdout and stderr together.
 *
 * @param status its exit status
 * @param printed everything it printed
 */
record CliRun(int status, String printed) {

  private static final Pattern DIGEST = Pattern.compile("Report: image (sha256:[0-9a-f]{64})");

  /**
   * Runs the command.
   *
   * @param environment the variables it sees
   * @param args its arguments
   * @return the run
   */
  static CliRun of(Environment environment, String... args) {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(console, true, StandardCharsets.UTF_8);
    int status = FanoutCli.run(List.of(args), environment, print, print);
    return new CliRun(status, console.toString(StandardCharsets.UTF_8));
  }

  /**
   * The digest the report gives.
   *
   * @return the image's digest
   */
  String digest() {
    Matcher matcher = DIGEST.matcher(printed);
    assertTrue(matcher.find(), printed);
    return matcher.group(1);
  }
}
