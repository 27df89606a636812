package dev.fanout.endtoend;

import dev.fanout.Environment;
import dev.fanout.ImageSource;
import dev.fanout.Pipeline;
import dev.fanout.PipelineBuilder;
import dev.fanout.PushReport;
import dev.fanout.Target;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Pushes an OCI layout in a JVM of its own, so a test can choose its heap and measure what it
 * reads, and prints {@code heap-mib}, {@code read-bytes} (what the process read from files and
 * sockets during the run, from the kernel's {@code rchar} in {@code /proc/self/io}), {@code
 * digest}, then one {@code target <reference> <status>} line per target. Exits 0 only when every
 * target was pushed.
 *
 * <p>Arguments: the layout, the repository and tag such as {@code big/app:1}, then the {@code
 * host:port} of each loopback registry, all plain HTTP and anonymous.
 */
final class PushLayoutMain {

  private PushLayoutMain() {}

  /**
   * Pushes and prints.
   *
   * @param args the layout, the repository and tag, then each registry's {@code host:port}
   */
  public static void main(String[] args) throws IOException {
    String[] repositoryAndTag = args[1].split(":", 2);
    PipelineBuilder pipeline =
        Pipeline.prepare(Environment.of(Map.of()))
            .image(ImageSource.ociLayout(Path.of(args[0])))
            .tags(repositoryAndTag[1]);
    for (int i = 2; i < args.length; i++) {
      pipeline.push(Target.to(args[i] + "/" + repositoryAndTag[0]).allowPlainHttp());
    }
    long before = readBytes();
    PushReport report = pipeline.run();
    long read = readBytes() - before;
    System.out.println("heap-mib " + Runtime.getRuntime().maxMemory() / (1024 * 1024));
    System.out.println("read-bytes " + read);
    System.out.println("digest " + report.digest().orElse("none"));
    boolean allPushed = !report.results().isEmpty();
    for (TargetResult result : report.results()) {
      System.out.println("target " + result.reference() + " " + result.status());
      allPushed &= result.status() == TargetStatus.PUSHED;
    }
    if (!allPushed) {
      System.out.println(report);
    }
    System.exit(allPushed ? 0 : 1);
  }

  /** Bytes this process has read through read-like system calls so far, files and sockets alike. */
  private static long readBytes() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/io")).stream()
        .filter(line -> line.startsWith("rchar:"))
        .mapToLong(line -> Long.parseLong(line.substring("rchar:".length()).strip()))
        .findFirst()
        .orElseThrow(() -> new IOException("/proc/self/io gives no rchar"));
  }
}
