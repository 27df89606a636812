package dev.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Jib;
import dev.fanout.spi.PushDestination;
import dev.fanout.spi.RegistryBackend;
import dev.fanout.spi.RegistryBackendProvider;
import dev.fanout.spi.TargetSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Run listeners against a registry that is not there (a closed loopback port): every target fails
 * at its first attempt, which is all these checks need, and no network I/O leaves the machine.
 */
@DisplayName("Run listeners")
class RunListenerTest {

  /** What the test backend hands out, as a token service would. */
  private static final String TOKEN = "derived-token-7f3a9c";

  private static final RetryPolicy ONE_ATTEMPT = RetryPolicy.noRetries();

  /**
   * Fanout's transport sends credentials over plain HTTP itself, to loopback only; it never turns
   * on Jib's process-wide switch for that, which would reach every other Jib user in the JVM.
   */
  @AfterEach
  void setsNoSystemProperty() {
    assertNull(System.getProperty("sendCredentialsOverHttp"));
  }

  @Test
  @DisplayName(
      "hear a backend's token before any line about its target, and never the token elsewhere")
  void secretFirst() throws Exception {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    PushReport report =
        pipeline().push(target(closedPort()).named("tokened")).listener(new Recorder(events)).run();

    assertEquals(TargetStatus.FAILED, report.results().get(0).status(), report::toString);
    int secret = events.indexOf("secret " + TOKEN);
    int firstLine = indexOfFirst(events, "log tokened ");
    assertTrue(secret >= 0 && firstLine > secret, String.join("\n", events));
    assertEquals(
        1, events.stream().filter(event -> event.contains(TOKEN)).count(), events::toString);
    assertEquals("planned", events.get(0));
    assertEquals("finished", events.get(events.size() - 1));
    assertTrue(events.contains("result tokened FAILED"), events::toString);
    assertTrue(
        events.stream().anyMatch(event -> event.startsWith("log tokened try 1 of 1 failed: ")),
        events::toString);
  }

  @Test
  @DisplayName("that throw on every event neither stop the run nor the listeners after them")
  void brokenListener() throws Exception {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    RunListener broken =
        new RunListener() {
          @Override
          public void secretHeld(String secret) {
            throw new IllegalStateException(secret);
          }

          @Override
          public void planned(Plan plan) {
            throw new IllegalStateException("planned");
          }

          @Override
          public void targetLog(String target, String line) {
            throw new IllegalStateException(line);
          }

          @Override
          public void finished(PushReport report) {
            throw new IllegalStateException("finished");
          }
        };
    PushReport report =
        pipeline().push(target(closedPort())).listener(broken).listener(new Recorder(events)).run();
    assertEquals(1, report.results().size());
    assertTrue(events.contains("secret " + TOKEN), events::toString);
    assertEquals("finished", events.get(events.size() - 1));
  }

  @Test
  @DisplayName("hear the plan even when it has problems, and the run then does not start")
  void plannedWithProblems() {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    PipelineBuilder pipeline =
        Pipeline.prepare(Environment.of(Map.of()))
            .push("bad reference")
            .listener(new Recorder(events));
    try {
      pipeline.run();
    } catch (PipelineConfigurationException expected) {
      assertEquals(List.of("planned"), events);
      return;
    }
    throw new AssertionError("the run started");
  }

  @Test
  @DisplayName(
      "see a failed optional target leave the release's outcome alone, and a failed required one"
          + " decide it")
  void optionalTargets() throws Exception {
    PushReport optionalOnly =
        pipeline().push(target(closedPort()).named("mirror").optional()).run();
    assertTrue(optionalOnly.hasFailures());
    assertFalse(optionalOnly.hasRequiredFailures(), optionalOnly::toString);
    assertTrue(optionalOnly.toString().contains("FAILED (optional)"), optionalOnly::toString);

    PushReport both =
        pipeline()
            .push(target(closedPort()).named("mirror").optional())
            .push(target(closedPort()).named("required"))
            .run();
    assertTrue(both.hasRequiredFailures(), both::toString);
  }

  private PipelineBuilder pipeline() {
    return Pipeline.prepare(Environment.of(Map.of()))
        .image(Jib.fromScratch())
        .retryPolicy(ONE_ATTEMPT)
        .backend(new TokenBackend());
  }

  private static Target target(int port) {
    return Target.to("127.0.0.1:" + port + "/acme/app").allowPlainHttp().backend(TokenBackend.ID);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static int indexOfFirst(List<String> events, String prefix) {
    synchronized (events) {
      for (int index = 0; index < events.size(); index++) {
        if (events.get(index).startsWith(prefix)) {
          return index;
        }
      }
    }
    return -1;
  }

  /** Hands every target a token, as ECR's and Google's backends do. */
  private static final class TokenBackend implements RegistryBackendProvider {
    static final String ID = "token";

    @Override
    public String id() {
      return ID;
    }

    @Override
    public boolean claims(String registryHost) {
      return false;
    }

    @Override
    public RegistryBackend create() {
      return new RegistryBackend() {
        @Override
        public PushDestination prepare(TargetSpec target, Environment environment) {
          return new PushDestination(
              target.reference(), Optional.of(RegistryCredential.of("bot", TOKEN)));
        }
      };
    }
  }

  /** Writes each event as a line. */
  private record Recorder(List<String> events) implements RunListener {
    @Override
    public void secretHeld(String secret) {
      events.add("secret " + secret);
    }

    @Override
    public void planned(Plan plan) {
      events.add("planned");
    }

    @Override
    public void targetLog(String target, String line) {
      events.add("log " + target + " " + line);
    }

    @Override
    public void targetFinished(TargetResult result) {
      events.add("result " + result.name() + " " + result.status());
    }

    @Override
    public void finished(PushReport report) {
      events.add("finished");
    }
  }
}
