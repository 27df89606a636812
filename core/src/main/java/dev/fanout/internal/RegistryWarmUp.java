package dev.fanout.internal;

import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.http.Request;
import com.google.cloud.tools.jib.http.Response;
import com.google.cloud.tools.jib.http.ResponseException;
import java.io.IOException;
import java.net.URL;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a plain-HTTP registry's API root ({@code GET /v2/}, without a credential) with Jib's own
 * HTTP client while the image is still building.
 *
 * <p>Why: Jib tries HTTPS twice before it falls back to plain HTTP (its failover, which no setting
 * skips), and in a fresh JVM those two failed TLS handshakes, with the HTTP and JSON code a push
 * loads and compiles, cost about 0.1 s of CPU per registry. After the build that CPU competes with
 * the uploads to every other target; during the build it uses the processor the layer compression
 * leaves idle. On the benchmark's push to 3 loopback registries this saved 0.14 s
 * (bench/README.md). The answer, 200 or 401, is not used, and a failure is only logged: the push
 * itself reports an unreachable registry, with its retries.
 *
 * <p>Only for targets that allow plain HTTP, such as a CI job's registry service on localhost. For
 * an HTTPS registry Jib's client would retry a failed request for minutes, and the gain is not
 * measured here: the benchmark's registries are plain HTTP.
 */
final class RegistryWarmUp {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryWarmUp.class);

  /**
   * How long a warm-up waits for an answer. It never delays a push, which does not wait for it; the
   * bound only keeps its thread from lingering on a registry that does not answer.
   */
  private static final int TIMEOUT_MILLIS = 5_000;

  /** Warm-ups run on threads of their own, so that a slow one holds no push thread. */
  private static final Executor THREADS =
      Executors.newCachedThreadPool(new NamedThreads("fanout-warm-up"));

  private RegistryWarmUp() {}

  /**
   * Starts a warm-up and returns at once; a push need not wait for it.
   *
   * @param registry the registry's host and port, as Jib addresses it; the target allows plain HTTP
   * @return completes when the warm-up is over, whatever its outcome
   */
  static CompletableFuture<Void> start(String registry) {
    return CompletableFuture.runAsync(() -> open(registry), THREADS);
  }

  private static void open(String registry) {
    FailoverHttpClient client = new FailoverHttpClient(true, false, event -> {});
    Request request = Request.builder().setHttpTimeout(TIMEOUT_MILLIS).build();
    try (Response response = client.call("GET", new URL("https://" + registry + "/v2/"), request)) {
      LOG.debug("warmed up {}: {}", registry, response.getStatusCode());
    } catch (ResponseException e) {
      LOG.debug("warmed up {}: {}", registry, e.getStatusCode());
    } catch (IOException | RuntimeException e) {
      LOG.debug("could not warm up {}: {}", registry, e.toString());
    } finally {
      shutDown(client, registry);
    }
  }

  private static void shutDown(FailoverHttpClient client, String registry) {
    try {
      client.shutDown();
    } catch (IOException e) {
      LOG.debug("could not close the warm-up connection to {}: {}", registry, e.toString());
    }
  }
}
