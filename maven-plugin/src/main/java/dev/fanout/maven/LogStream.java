package dev.fanout.maven;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.maven.plugin.logging.Log;

/**
 * An output stream whose every line becomes an info line of Maven's build log, so that core's
 * {@code ConsoleReporter} prints into the build log like any other plugin's output.
 */
final class LogStream extends OutputStream {

  private final Log log;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  private LogStream(Log log) {
    this.log = log;
  }

  /**
   * A print stream into the build log.
   *
   * @param log the mojo's log
   * @return a stream that logs each line at info level
   */
  static PrintStream to(Log log) {
    return new PrintStream(new LogStream(log), true, StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      emit();
    } else if (b != '\r') {
      // A carriage return redraws a terminal line; the build log has none to redraw.
      line.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      write(bytes[i]);
    }
  }

  @Override
  public synchronized void close() {
    if (line.size() > 0) {
      emit();
    }
  }

  private void emit() {
    log.info(line.toString(StandardCharsets.UTF_8));
    line.reset();
  }
}
