package dev.fanout.cli;

import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;

/**
 * Start-up work of a push done ahead, on a daemon thread, while the main thread parses the command
 * line and reads the config: the main thread needs its result later and would otherwise do it
 * alone, with the second core idle.
 *
 * <p>The work is Java's default TLS context: Java's HTTP client makes it when the push's transport
 * is created, even when every registry is plain HTTP, and making it (reading the CA certificates,
 * starting the security providers) took 0.1 to 0.15 s of the main thread in bench/'s push. The JDK
 * keeps the first one made; a caller that asks while the warm-up is making it waits for that one.
 */
final class WarmUp {

  private WarmUp() {}

  /** Starts the warm-up; the process does not wait for it to end. */
  static void start() {
    Thread thread = new Thread(WarmUp::run, "fanout-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  private static void run() {
    try {
      SSLContext.getDefault();
    } catch (NoSuchAlgorithmException noTls) {
      // The transport asks again when it is created and reports it there.
    }
  }
}
