package dev.fanout.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Starts the external tools the testkit relies on: {@code docker-registry}, {@code htpasswd} and
 * {@code skopeo}.
 *
 * <p>A missing tool is a broken test machine, not a reason to skip: the tests would silently prove
 * nothing. So a tool that cannot be started fails with the exact command that installs it.
 *
 * <p>Error messages name a caller-supplied description instead of the command line, because
 * command lines here may carry a password ({@code skopeo --creds}).
 */
final class ExternalCommand {

  /** What a finished command printed. */
  record Result(int exitCode, String stdout, String stderr) {}

  /**
   * Runs each stream reader on a fresh daemon thread. The common pool is not used because these
   * reads block, and on a two-core machine it has a single worker, which would read stdout and
   * stderr one after the other and deadlock once the unread pipe fills up.
   */
  private static final Executor OWN_THREAD = task -> {
    Thread thread = new Thread(task, "fanout-testkit-command-output");
    thread.setDaemon(true);
    thread.start();
  };

  private ExternalCommand() {}

  /**
   * Starts {@code builder}, turning "cannot run program" into an error that says how to install it.
   *
   * @param installHint for example {@code apt-get install -y skopeo}
   */
  static Process start(ProcessBuilder builder, String installHint) {
    String program = builder.command().get(0);
    try {
      return builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("Could not run '" + program + "' (" + e.getMessage() + "). "
          + "Install it with: " + installHint, e);
    }
  }

  /**
   * Runs a short-lived command to completion and collects its output.
   *
   * @param command the program and its arguments
   * @param stdin text written to the command's standard input, which is then closed
   * @param timeout how long to wait before killing the command
   * @param installHint how to install the program if it is missing
   * @param description what to call the command in error messages; must not contain secrets
   * @throws IllegalStateException if the program is missing or does not finish within the timeout
   */
  static Result run(List<String> command, String stdin, Duration timeout, String installHint,
      String description) {
    Process process = start(new ProcessBuilder(command), installHint);
    CompletableFuture<String> stdout =
        CompletableFuture.supplyAsync(() -> readFully(process.getInputStream()), OWN_THREAD);
    CompletableFuture<String> stderr =
        CompletableFuture.supplyAsync(() -> readFully(process.getErrorStream()), OWN_THREAD);
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // The command exited without reading its input; its exit code and stderr tell the story.
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            description + " did not finish within " + timeout.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + description, e);
    }
    return new Result(process.exitValue(), stdout.join(), stderr.join());
  }

  private static String readFully(InputStream stream) {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
