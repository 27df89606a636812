package dev.fanout.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collects the output of a long-running child process on a daemon thread, so that the process
 * never blocks on a full pipe and its log can be shown or searched at any time.
 */
final class ProcessOutput {

  private final StringBuilder text = new StringBuilder();
  private boolean ended;

  private ProcessOutput() {}

  /** Starts draining {@code stream}, normally the process's merged stdout and stderr. */
  static ProcessOutput drain(InputStream stream, String threadName) {
    ProcessOutput output = new ProcessOutput();
    Thread pump = new Thread(() -> output.pump(stream), threadName);
    pump.setDaemon(true);
    pump.start();
    return output;
  }

  /** Everything captured so far, one line per log line. */
  synchronized String text() {
    return text.toString();
  }

  /**
   * Waits until the captured text contains a match for {@code pattern}.
   *
   * @return the first match, or empty if the stream ended or {@code deadline} passed without one
   */
  synchronized Optional<MatchResult> awaitMatch(Pattern pattern, Instant deadline)
      throws InterruptedException {
    while (true) {
      Matcher matcher = pattern.matcher(text);
      if (matcher.find()) {
        return Optional.of(matcher.toMatchResult());
      }
      long remaining = Duration.between(Instant.now(), deadline).toMillis();
      if (ended || remaining <= 0) {
        return Optional.empty();
      }
      wait(remaining);
    }
  }

  private void pump(InputStream stream) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        append(line);
      }
    } catch (IOException e) {
      append("[fanout-testkit: stopped reading the process output: " + e.getMessage() + "]");
    } finally {
      end();
    }
  }

  private synchronized void append(String line) {
    text.append(line).append('\n');
    notifyAll();
  }

  private synchronized void end() {
    ended = true;
    notifyAll();
  }
}
