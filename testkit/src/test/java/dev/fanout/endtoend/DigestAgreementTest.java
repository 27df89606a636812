package dev.fanout.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.PushReport;
import dev.fanout.RetryPolicy;
import dev.fanout.Target;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.testkit.FaultInjectingProxy;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.ProxyEvent;
import dev.fanout.testkit.ProxyRequest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's promise that every pushed target holds the digest of the image built, and that a
 * registry holding another is a failure. A front makes a real registry announce another {@code
 * Docker-Content-Digest} for the manifest it was sent, as a registry that rewrote or mixed up the
 * manifest would.
 */
@DisplayName("Every target must hold the image's digest")
class DigestAgreementTest {

  @RegisterExtension static final LocalRegistryExtension FIRST = LocalRegistryExtension.plain();

  @RegisterExtension static final LocalRegistryExtension SECOND = LocalRegistryExtension.plain();

  /** A well-formed digest of no manifest of this test. */
  private static final String ANOTHER_DIGEST =
      "sha256:0000000000000000000000000000000000000000000000000000000000000001";

  @TempDir Path folder;

  @Test
  @DisplayName(
      "a registry announcing another Docker-Content-Digest for the uploaded manifest: that target"
          + " failed, saying so; the other target pushed and serves the report's digest")
  void anotherDigestFails() throws Exception {
    try (FaultInjectingProxy front =
        FaultInjectingProxy.inFrontOf(FIRST.host())
            .setResponseHeaders(
                ProxyRequest::isManifestUpload, Map.of("Docker-Content-Digest", ANOTHER_DIGEST))
            .start()) {
      PushReport report =
          Pipeline.prepare(Environment.of(Map.of()))
              .image(ThreeLayerImages.image(ThreeLayerImages.writeSmall(folder, "agreement")))
              .tags("1.0.0")
              .retryPolicy(RetryPolicy.ofDefaults())
              .push(Target.to(front.host() + "/claims/app").allowPlainHttp())
              .push(Target.to(SECOND.reference("claims/app")).allowPlainHttp())
              .run();

      TargetResult claimed = report.results().get(0);
      assertEquals(TargetStatus.FAILED, claimed.status(), report::toString);
      assertTrue(claimed.detail().toLowerCase().contains("digest"), claimed::detail);
      assertTrue(
          front.requestCount(event -> event.action() == ProxyEvent.Action.FORWARDED_WITH_HEADERS)
              > 0,
          front.events()::toString);
      ReadBack.assertServed(report, report.results().get(1), SECOND, "claims/app", "1.0.0");
    }
  }
}
