package dev.fanout.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.PipelineBuilder;
import dev.fanout.PushReport;
import dev.fanout.RetryPolicy;
import dev.fanout.Target;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.testkit.FaultInjectingProxy;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.ProxyEvent;
import dev.fanout.testkit.RegistryChecker;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registries that refuse a push outright: a wrong password, a host where nothing listens, and a
 * host that resets every connection. Each fails its own targets, says why, and stops no other
 * target. With the default retry policy; the image has three small layers, since these pushes fail
 * before any blob is sent.
 */
@DisplayName("Hosts that refuse a push, with the default retry policy")
class HostFailuresTest {

  @RegisterExtension static final LocalRegistryExtension PLAIN = LocalRegistryExtension.plain();

  @RegisterExtension
  static final LocalRegistryExtension WITH_AUTH =
      LocalRegistryExtension.withBasicAuth("robot", "host-failures-password");

  private static final String TAG = "1.0.0";

  /** The consecutive failures after which a host's breaker opens, as the README states. */
  private static final int FAILURES_TO_OPEN = 5;

  /** Words that say a host's breaker is open; the README's are "fail fast for 60 s". */
  private static final Pattern BREAKER_OPEN =
      Pattern.compile("(?i).*(in a row|consecutive|circuit|breaker).*60 s.*", Pattern.DOTALL);

  @TempDir Path folder;

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  @DisplayName(
      "a wrong password: failed after at most 2 tries (one re-authentication), the detail names"
          + " the host, and the password is nowhere in the report, stdout, stderr or the logs")
  void wrongPassword() throws Exception {
    String wrong = "not-the-password-5c1e";
    String encoded =
        Base64.getEncoder()
            .encodeToString((WITH_AUTH.username() + ":" + wrong).getBytes(StandardCharsets.UTF_8));
    PipelineBuilder pipeline =
        prepare("wrong password")
            .push(
                Target.to(WITH_AUTH.reference("auth/app"))
                    .allowPlainHttp()
                    .credentials(CredentialSource.of(WITH_AUTH.username(), wrong)));

    Captured<PushReport> run = Captured.outputOf(pipeline::run);

    PushReport report = run.value();
    TargetResult result = report.results().get(0);
    assertEquals(TargetStatus.FAILED, result.status(), report::toString);
    assertTrue(result.attempts() >= 1 && result.attempts() <= 2, report::toString);
    assertTrue(result.detail().contains(WITH_AUTH.host()), result::detail);
    assertTrue(
        result.detail().toLowerCase().matches("(?s).*(auth|401|unauthori[sz]ed|credential).*"),
        result::detail);
    for (String secret : List.of(wrong, encoded)) {
      assertFalse(report.toString().contains(secret), "the report shows the password");
      assertFalse(run.output().contains(secret), "stdout or stderr shows the password");
    }
    assertEquals(
        Optional.empty(),
        RegistryChecker.manifestDigest(WITH_AUTH.host(), "auth/app", TAG, WITH_AUTH.credentials()));
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  @DisplayName(
      "a registry where nothing listens: that target failed with a detail naming the host and the"
          + " connection, and the other target of the run pushed and served")
  void registryDown() throws Exception {
    String down = FaultInjectingProxy.unreachableHost();
    PushReport report =
        prepare("down")
            .push(Target.to(down + "/down/app").allowPlainHttp())
            .push(Target.to(PLAIN.reference("down/app")).allowPlainHttp())
            .run();

    TargetResult failed = report.results().get(0);
    assertEquals(TargetStatus.FAILED, failed.status(), report::toString);
    assertTrue(failed.detail().contains(down), failed::detail);
    assertTrue(
        failed.detail().toLowerCase().matches("(?s).*(connect|refused|unreachable).*"),
        failed::detail);
    ReadBack.assertServed(report, report.results().get(1), PLAIN, "down/app", TAG);
  }

  @Test
  @DisplayName(
      "a host that resets every connection: after 5 failures in a row its breaker opens, its"
          + " remaining requests fail without a connection, and the details say why")
  void circuitBreaker() throws Exception {
    try (FaultInjectingProxy resetting =
        FaultInjectingProxy.inFrontOf(PLAIN.host()).down().start()) {
      List<String> repositories = List.of("broken/one", "broken/two", "broken/three");
      PipelineBuilder pipeline = prepare("breaker");
      repositories.forEach(
          repository ->
              pipeline.push(Target.to(resetting.host() + "/" + repository).allowPlainHttp()));

      // Without a breaker, each target's first request alone would be tried 10 times, 151 s of
      // backoff; with it, the breaker opens after about 1 + 2 + 4 + 8 s.
      PushReport report =
          assertTimeoutPreemptively(
              Duration.ofSeconds(90), pipeline::run, "the host's requests did not fail fast");

      assertEquals(3, report.withStatus(TargetStatus.FAILED).size(), report::toString);
      for (TargetResult result : report.results()) {
        assertTrue(result.detail().contains(resetting.host()), result::detail);
      }
      assertTrue(
          report.results().stream()
              .anyMatch(result -> BREAKER_OPEN.matcher(result.detail()).matches()),
          () -> "no detail says the breaker opened:\n" + report);
      // Java's HttpClient opens a second connection when the first is reset before any answer, so
      // a failed request costs up to 2 connections; up to 2 requests (the per-host limit) may be
      // on their way when the 5th failure opens the breaker.
      long connections =
          resetting.requestCount(event -> event.action() == ProxyEvent.Action.CLOSED_CONNECTION);
      long bound =
          2L * (FAILURES_TO_OPEN + PipelineBuilder.DEFAULT_MAX_CONCURRENT_PUSHES_PER_HOST - 1);
      assertTrue(
          connections <= bound,
          connections + " connections reached the host, at most " + bound + " expected");
    }
  }

  private PipelineBuilder prepare(String name) throws Exception {
    return Pipeline.prepare(Environment.of(Map.of()))
        .image(
            ThreeLayerImages.image(
                ThreeLayerImages.writeSmall(
                    Files.createDirectories(folder.resolve(name.replace(' ', '-'))), name)))
        .tags(TAG)
        .retryPolicy(RetryPolicy.ofDefaults());
  }

  /**
   * A value computed while everything written to {@code System.out} and {@code System.err} (slf4j
   * simple logs to the latter) is also recorded.
   */
  private record Captured<T>(T value, String output) {

    static <T> Captured<T> outputOf(Supplier<T> work) {
      PrintStream out = System.out;
      PrintStream err = System.err;
      ByteArrayOutputStream recorded = new ByteArrayOutputStream();
      System.setOut(new PrintStream(new Tee(out, recorded), true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(new Tee(err, recorded), true, StandardCharsets.UTF_8));
      try {
        T value = work.get();
        System.out.flush();
        System.err.flush();
        return new Captured<>(value, recorded.toString(StandardCharsets.UTF_8));
      } finally {
        System.setOut(out);
        System.setErr(err);
      }
    }
  }

  /** Writes to the console as usual and to a recording shared by stdout and stderr. */
  private static final class Tee extends OutputStream {

    private final PrintStream console;
    private final ByteArrayOutputStream recording;

    Tee(PrintStream console, ByteArrayOutputStream recording) {
      this.console = console;
      this.recording = recording;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      console.write(bytes, offset, length);
      recording.write(bytes, offset, length);
    }
  }
}
