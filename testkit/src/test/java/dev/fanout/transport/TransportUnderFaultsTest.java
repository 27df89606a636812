package dev.fanout.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.internal.image.ImageInHand;
import dev.fanout.internal.transport.RegistryResponseException;
import dev.fanout.internal.transport.RegistryTransport;
import dev.fanout.internal.transport.RepositoryEndpoint;
import dev.fanout.internal.transport.RequestRunner;
import dev.fanout.testkit.FaultInjectingProxy;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.ProxyEvent;
import dev.fanout.testkit.RegistryChecker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport behind a proxy that injects faults, with a runner that retries each request on its
 * own: the image lands, and only the failed requests are sent again.
 */
class TransportUnderFaultsTest {

  @RegisterExtension final LocalRegistryExtension registry = LocalRegistryExtension.plain();

  @TempDir Path folder;

  @Test
  @DisplayName("a connection dropped mid-blob is retried alone, in a new upload session")
  void droppedBlobUpload() throws Exception {
    ImageInHand image = TestImages.ociImage(folder, "dropped");
    RetryingRunner runner = new RetryingRunner(3);
    try (FaultInjectingProxy proxy =
            FaultInjectingProxy.inFrontOf(registry.host()).dropBlobUploads(1, 100).start();
        RegistryTransport transport = RegistryTransport.create()) {
      transport
          .repository(
              new RepositoryEndpoint(proxy.host(), "acme/app", true), Optional.empty(), runner)
          .push(image, List.of("1"));

      assertEquals(1, proxy.faults().size());
      assertEquals(1, runner.retries.get());
      long posts = proxy.requestCount(event -> event.method().equals("POST"));
      assertEquals(image.blobs().size() + 1, posts, "one new session for the dropped upload");
    }
    assertEquals(
        Optional.of(image.digest()),
        RegistryChecker.manifestDigest(registry.host(), "acme/app", "1", Optional.empty()));
  }

  @Test
  @DisplayName("under 30 % of requests answered 503, each failed request is retried on its own")
  void shareOfRequestsFail() throws Exception {
    ImageInHand index = TestImages.ociIndex(folder, "flaky");
    RetryingRunner runner = new RetryingRunner(10);
    try (FaultInjectingProxy proxy =
            FaultInjectingProxy.inFrontOf(registry.host())
                .failShareOfRequests(0.3, 42, 503)
                .start();
        RegistryTransport transport = RegistryTransport.create()) {
      transport
          .repository(
              new RepositoryEndpoint(proxy.host(), "acme/multi", true), Optional.empty(), runner)
          .push(index, List.of("1"));

      long forwarded = proxy.requestCount(event -> event.action() == ProxyEvent.Action.FORWARDED);
      assertEquals(proxy.faults().size(), runner.retries.get());
      assertTrue(proxy.faults().size() > 0);
      assertEquals(runner.calls.get(), forwarded, "every logical request succeeded exactly once");
    }
    assertEquals(
        Optional.of(index.digest()),
        RegistryChecker.manifestDigest(registry.host(), "acme/multi", "1", Optional.empty()));
  }

  /** Retries 5xx, 429, lost sessions and broken connections at once, up to a number of tries. */
  private static final class RetryingRunner implements RequestRunner {

    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger retries = new AtomicInteger();
    private final int tries;

    RetryingRunner(int tries) {
      this.tries = tries;
    }

    @Override
    public <T> T run(String what, Exchange<T> exchange) throws IOException, InterruptedException {
      calls.incrementAndGet();
      for (int attempt = 1; ; attempt++) {
        try {
          return exchange.send();
        } catch (IOException e) {
          boolean retryable =
              !(e instanceof RegistryResponseException refused)
                  || refused.status() >= 500
                  || refused.status() == 429
                  || refused.uploadSessionLost();
          if (!retryable || attempt == tries) {
            throw e;
          }
          retries.incrementAndGet();
        }
      }
    }
  }
}
