package dev.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Jib;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.fanout.testing.ConnectionCounter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The engine's promises about hosts, proven in core with loopback servers that count what reaches
 * them: targets on different hosts are pushed at the same time, and a host that answers no request
 * is given up on after {@value #FAILURES_TO_OPEN} refused connections.
 */
@DisplayName("Pushes and their hosts")
class HostGuardsTest {

  /** README: "after 5 refused connections in a row a host's circuit breaker opens". */
  private static final int FAILURES_TO_OPEN = 5;

  /** Far beyond the breaker's 5, so a run without a breaker would connect many more times. */
  private static final int ATTEMPTS = 30;

  @Test
  @DisplayName(
      "pushes targets on two hosts at the same time: a blob request reaches one host while the"
          + " other holds one")
  void twoHostsAtOnce() throws Exception {
    try (HoldingRegistry first = new HoldingRegistry();
        HoldingRegistry second = new HoldingRegistry()) {
      Overlap overlap = HoldingRegistry.pair(first, second);
      PushReport report =
          Pipeline.prepare(Environment.of(Map.of()))
              .image(Jib.fromScratch())
              .retryPolicy(RetryPolicy.noRetries())
              .push(Target.to(first.host() + "/acme/app").allowPlainHttp())
              .push(Target.to(second.host() + "/acme/app").allowPlainHttp())
              .run();

      assertEquals(2, report.withStatus(TargetStatus.FAILED).size(), report::toString);
      assertTrue(
          overlap.seen,
          "one host's blob request was never in flight while the other's was: pushed one at a"
              + " time");
    }
  }

  @Test
  @DisplayName(
      "stops connecting to a host that resets every connection once 5 requests in a row failed,"
          + " and says that its circuit breaker is open")
  void breakerOpensAfterFiveRefusals() throws Exception {
    try (ConnectionCounter host = new ConnectionCounter()) {
      PushReport report =
          Pipeline.prepare(Environment.of(Map.of()))
              .image(Jib.fromScratch())
              .retryPolicy(
                  RetryPolicy.custom()
                      .maxAttempts(ATTEMPTS)
                      .initialBackoff(Duration.ofMillis(1))
                      .multiplier(1)
                      .maxBackoff(Duration.ofMillis(1))
                      .jitter(0)
                      .build())
              .push(Target.to(host.host() + "/acme/app").allowPlainHttp())
              .run();

      TargetResult result = report.results().get(0);
      assertEquals(TargetStatus.FAILED, result.status(), report::toString);
      assertTrue(
          result.detail().contains("circuit breaker is open")
              && result.detail().contains(FAILURES_TO_OPEN + " requests in a row"),
          result::detail);
      // Java's HttpClient may open a second connection when the first is reset before any answer,
      // and up to 2 requests (the per-host limit) may be on their way when the breaker opens.
      int bound = 2 * (FAILURES_TO_OPEN + PipelineBuilder.DEFAULT_MAX_CONCURRENT_PUSHES_PER_HOST);
      assertTrue(
          host.connections() <= bound,
          host.connections() + " connections reached the host, at most " + bound + " expected");
    }
  }

  /**
   * A registry that answers {@code /v2/} and holds every blob request until its partner also has
   * one in flight (or 10 s pass), then refuses it with a 500. The pair records whether a request
   * ever arrived while the partner held one: pushes that overlap do, pushes run one at a time never
   * do.
   */
  private static final class HoldingRegistry implements AutoCloseable {

    private static final Duration HOLD_LIMIT = Duration.ofSeconds(10);

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private int inFlight;
    private HoldingRegistry partner;
    private Overlap overlap;

    HoldingRegistry() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(threads);
      server.createContext("/", this::answer);
      server.start();
    }

    /** Pairs two registries; both hold their requests under the one lock of their overlap. */
    static Overlap pair(HoldingRegistry first, HoldingRegistry second) {
      Overlap overlap = new Overlap();
      first.partner = second;
      second.partner = first;
      first.overlap = overlap;
      second.overlap = overlap;
      return overlap;
    }

    String host() {
      return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        if (!exchange.getRequestURI().getPath().contains("/blobs/")) {
          exchange.sendResponseHeaders(200, -1);
          return;
        }
        hold();
        exchange.sendResponseHeaders(500, -1);
      }
    }

    private void hold() {
      long deadline = System.nanoTime() + HOLD_LIMIT.toNanos();
      synchronized (overlap) {
        inFlight++;
        if (partner.inFlight > 0) {
          overlap.seen = true;
          overlap.notifyAll();
        }
        try {
          while (!overlap.seen && System.nanoTime() < deadline) {
            overlap.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          inFlight--;
        }
      }
    }

  @Override
    public void close() {
      server.stop(0);
      threads.shutdownNow();
    }
  }

  /** Whether a blob request reached one registry of a pair while the other held one. */
  private static final class Overlap {
    private volatile boolean seen;
  }
}
