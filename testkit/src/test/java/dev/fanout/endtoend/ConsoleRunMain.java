package dev.fanout.endtoend;

import dev.fanout.Environment;
import dev.fanout.ImageSource;
import dev.fanout.Pipeline;
import dev.fanout.PushReport;
import dev.fanout.RetryPolicy;
import dev.fanout.Target;
import dev.fanout.report.ConsoleReporter;
import java.nio.file.Path;
import java.util.Map;

/**
 * A plain console run, as a user with no logging set up would make it: an OCI layout pushed to one
 * registry with {@link ConsoleReporter} on standard output and nothing else. Run in a JVM of its
 * own, so that its class path can leave out every SLF4J provider. Exits 0 when the run succeeded.
 *
 * <p>Arguments: the layout, then the repository {@code host:port/name} of a plain-HTTP registry.
 */
final class ConsoleRunMain {

  private ConsoleRunMain() {}

  /**
   * Pushes with a console reporter.
   *
   * @param args the layout, then the repository
   */
  public static void main(String[] args) {
    PushReport report =
        Pipeline.prepare(Environment.of(Map.of()))
            .image(ImageSource.ociLayout(Path.of(args[0])))
            .tags("1.0.0")
            .retryPolicy(RetryPolicy.ofDefaults())
            .push(Target.to(args[1]).named("console").allowPlainHttp())
            .listener(ConsoleReporter.to(System.out, ConsoleReporter.ProgressStyle.NONE))
            .run();
    System.exit(report.hasRequiredFailures() ? 1 : 0);
  }
}
