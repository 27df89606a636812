package dev.fanout.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.PushReport;
import dev.fanout.RetryPolicy;
import dev.fanout.Target;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.testkit.FaultInjectingProxy;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the same scripted faults against Jib alone and against Fanout with its default retry policy,
 * one after the other, and prints the outcomes as the table docs/retries.md shows; the figures in
 * that table are the ones asserted here.
 */
@DisplayName("The same faults against Jib alone and against Fanout")
class JibAloneSideBySideTest {

  @RegisterExtension
  static final LocalRegistryExtension REGISTRY = LocalRegistryExtension.plain();

  private static final StringBuilder TABLE =
      new StringBuilder("| fault | Jib alone | Fanout |\n|---|---|---|\n");

  @TempDir Path folder;

  @AfterAll
  static void printTable() {
    System.out.println(TABLE);
  }

  @Test
  @DisplayName(
      "two 429s with Retry-After 2 on the manifest: Jib alone fails, Fanout pushes on its third"
          + " try of the manifest")
  void manifestRateLimited() throws Exception {
    Outcome outcome =
        sideBySide(
            "two 429s (Retry-After: 2) on the manifest upload",
            proxy -> proxy.failManifestUploads(2, 429, Duration.ofSeconds(2)));
    assertTrue(outcome.jib().startsWith("fails"), outcome.jib());
    assertEquals(3, outcome.fanout().attempts(), outcome.fanout()::toString);
  }

  @Test
  @DisplayName(
      "a connection dropped mid-blob: Jib alone pushes too, Fanout pushes on its second try of"
          + " that blob")
  void droppedMidBlob() throws Exception {
    Outcome outcome =
        sideBySide(
            "connection dropped after 16 KiB of a blob upload",
            proxy -> proxy.dropBlobUploads(1, 16 * 1024));
    assertEquals("pushed", outcome.jib());
    assertEquals(2, outcome.fanout().attempts(), outcome.fanout()::toString);
  }

  @Test
  @DisplayName("30% of requests answering 503 at random: Fanout pushes with its default policy")
  void randomUnavailable() throws Exception {
    // Jib's outcome is not asserted: it depends on which of its requests draw a 503 at random.
    sideBySide(
        "30% of requests answer 503 at random (Retry-After: 1)",
        proxy -> proxy.failShareOfRequests(0.3, 503, Duration.ofSeconds(1)));
  }

  @Test
  @DisplayName("the first two connections reset: Jib alone fails, Fanout pushes")
  void resetConnections() throws Exception {
    Outcome outcome = sideBySide("first two connections reset", proxy -> proxy.closeConnections(2));
    assertTrue(outcome.jib().startsWith("fails"), outcome.jib());
  }

  /**
   * What Jib alone and Fanout made of one fault.
   *
   * @param jib {@code pushed}, or {@code fails: } and Jib's exception
   * @param fanout Fanout's result for its one target, which pushed and was read back
   */
  private record Outcome(String jib, TargetResult fanout) {}

  /**
   * Runs the fault against Jib alone, then against Fanout with {@code RetryPolicy.ofDefaults()};
   * asserts that Fanout pushed and that the registry serves what it reports.
   */
  private Outcome sideBySide(String fault, UnaryOperator<FaultInjectingProxy.Builder> script)
      throws Exception {
    String jibAlone;
    try (FaultInjectingProxy proxy = script.apply(FaultInjectingProxy.inFrontOf(REGISTRY.host())).start()) {
      jibAlone = jibAlone(proxy.host() + "/jib/app:1.0.0", fault);
    }
    TargetResult fanout;
    try (FaultInjectingProxy proxy = script.apply(FaultInjectingProxy.inFrontOf(REGISTRY.host())).start()) {
      PushReport report =
          Pipeline.prepare(Environment.of(Map.of()))
              .image(image(fault + " fanout"))
              .tags("1.0.0")
              .retryPolicy(RetryPolicy.ofDefaults())
              .push(Target.to(proxy.host() + "/fanout/app").allowPlainHttp())
              .run();
      fanout = report.results().get(0);
      ReadBack.assertServed(report, fanout, REGISTRY, "fanout/app", "1.0.0");
    }
    TABLE
        .append("| ")
        .append(fault)
        .append(" | ")
        .append(jibAlone)
        .append(" | ")
        .append(fanout.status() == TargetStatus.PUSHED ? "pushed" : "fails")
        .append(" after ")
        .append(fanout.attempts())
        .append(fanout.attempts() == 1 ? " try" : " tries")
        .append(" of its most retried request |\n");
    assertEquals(TargetStatus.PUSHED, fanout.status(), fanout::toString);
    return new Outcome(jibAlone, fanout);
  }

  private String jibAlone(String reference, String fault) throws IOException {
    try {
      image(fault + " jib")
          .containerize(
              Containerizer.to(RegistryImage.named(reference))
                  .setAllowInsecureRegistries(true)
                  .setApplicationLayersCache(folder.resolve("jib-cache")));
      return "pushed";
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String message = String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
      return "fails: `" + cause.getClass().getSimpleName() + ": " + message + "`";
    }
  }

  private JibContainerBuilder image(String name) throws IOException {
    return TestImages.incompressible(
        Files.createDirectories(folder.resolve(name.replaceAll("[^a-z0-9]+", "-"))), name);
  }
}
