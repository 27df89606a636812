package dev.fanout.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.JibContainerBuilder;
import dev.fanout.CredentialSource;
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
import dev.fanout.testkit.RegistryChecker;
import dev.fanout.testkit.TestImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BinaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Pushing through injected faults to real registries")
class RetryUnderFaultsTest {

  @RegisterExtension static final LocalRegistryExtension FIRST = LocalRegistryExtension.plain();

  @RegisterExtension static final LocalRegistryExtension SECOND = LocalRegistryExtension.plain();

  @RegisterExtension static final LocalRegistryExtension THIRD = LocalRegistryExtension.plain();

  @RegisterExtension
  static final LocalRegistryExtension WITH_AUTH =
      LocalRegistryExtension.withBasicAuth("robot", "retry-test-password");

  private static final Environment NO_VARIABLES = Environment.of(Map.of());

  /** Fast retries for faults that carry no Retry-After. */
  private static final RetryPolicy QUICK =
      RetryPolicy.custom()
          .maxAttempts(40)
          .initialBackoff(Duration.ofMillis(20))
          .maxBackoff(Duration.ofMillis(200))
          .build();

  @TempDir Path folder;

  @Test
  @DisplayName(
      "two 429s with Retry-After 2 on the manifest: pushed on the third attempt, each wait at least"
          + " 2 s, no blob uploaded twice")
  void manifestRateLimited() throws Exception {
    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.inFrontOf(FIRST.host())
            .failManifestUploads(2, 429, Duration.ofSeconds(2))
            .start()) {
      PushReport report =
          push(image("429"), RetryPolicy.ofDefaults(), proxy.host() + "/limited/app");

      TargetResult result = report.results().get(0);
      assertEquals(TargetStatus.PUSHED, result.status(), report::toString);
      assertEquals(3, result.attempts());
      assertTrue(result.waited().compareTo(Duration.ofSeconds(4)) >= 0, result.waited()::toString);
      List<Instant> manifestPuts =
          proxy.events().stream().filter(ProxyEvent::isManifestUpload).map(ProxyEvent::at).toList();
      assertEquals(3, manifestPuts.size(), proxy.events()::toString);
      assertTrue(gap(manifestPuts.get(0), manifestPuts.get(1)) >= 2000, manifestPuts::toString);
      assertTrue(gap(manifestPuts.get(1), manifestPuts.get(2)) >= 2000, manifestPuts::toString);
      assertEquals(
          2,
          proxy.requestCount(event -> event.isBlobUpload() && event.method().equals("POST")),
          "blob upload sessions opened (one per blob, none on retries)");
      assertEquals(
          report.digest(),
          RegistryChecker.manifestDigest(FIRST.host(), "limited/app", "1.0.0", Optional.empty()));
    }
  }

  @Test
  @DisplayName(
      "a seeded 30% of requests answering 503 on three registries: all pushed with one digest")
  void randomUnavailable() throws Exception {
    List<LocalRegistryExtension> registries = List.of(FIRST, SECOND, THIRD);
    List<FaultInjectingProxy> proxies = new ArrayList<>();
    try {
      var pipeline =
          Pipeline.prepare(NO_VARIABLES).image(image("503")).tags("1.0.0").retryPolicy(QUICK);
      for (int index = 0; index < registries.size(); index++) {
        FaultInjectingProxy proxy =
            FaultInjectingProxy.inFrontOf(registries.get(index).host())
                .failShareOfRequests(0.3, 1000 + index, 503)
                .start();
        proxies.add(proxy);
        pipeline.push(Target.to(proxy.host() + "/flaky/app").allowPlainHttp());
      }
      PushReport report = pipeline.run();

      assertEquals(3, report.withStatus(TargetStatus.PUSHED).size(), report::toString);
      for (LocalRegistryExtension registry : registries) {
        assertEquals(
            report.digest(),
            RegistryChecker.manifestDigest(
                registry.host(), "flaky/app", "1.0.0", Optional.empty()));
      }
      assertTrue(
          proxies.stream().allMatch(proxy -> !proxy.faults().isEmpty()),
          "every proxy injected 503s");
    } finally {
      for (FaultInjectingProxy proxy : proxies) {
        proxy.close();
      }
    }
  }

  @Test
  @DisplayName(
      "a connection dropped in the middle of a blob upload: pushed, and the registry serves the"
          + " blob with the right digest")
  void droppedMidBlob() throws Exception {
    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.inFrontOf(SECOND.host()).dropBlobUploads(1, 16 * 1024).start()) {
      PushReport report = push(image("dropped"), QUICK, proxy.host() + "/dropped/app");

      assertEquals(TargetStatus.PUSHED, report.results().get(0).status(), report::toString);
      assertEquals(1, proxy.faults().size(), proxy.faults()::toString);
      List<String> layers = layerDigests(SECOND.host(), "dropped/app", "1.0.0");
      assertFalse(layers.isEmpty());
      for (String layer : layers) {
        assertTrue(
            RegistryChecker.blobDigestMatches(
                SECOND.host(), "dropped/app", layer, Optional.empty()),
            layer);
      }
    }
  }

  @Test
  @DisplayName(
      "one registry down and two healthy: two pushed without waiting on the third, which fails"
          + " after the policy's attempts in a bounded time")
  void oneDown() throws Exception {
    RetryPolicy threeAttempts =
        RetryPolicy.custom()
            .maxAttempts(3)
            .initialBackoff(Duration.ofMillis(300))
            .multiplier(2)
            .jitter(0)
            .build();
    PushReport report =
        Pipeline.prepare(NO_VARIABLES)
            .image(image("down"))
            .tags("1.0.0")
            .retryPolicy(threeAttempts)
            .push(Target.to(FIRST.reference("down/app")).allowPlainHttp())
            .push(Target.to(FaultInjectingProxy.unreachableHost() + "/down/app").allowPlainHttp())
            .push(Target.to(SECOND.reference("down/app")).allowPlainHttp())
            .run();

    TargetResult down = report.results().get(1);
    assertEquals(TargetStatus.FAILED, down.status(), report::toString);
    assertEquals(3, down.attempts());
    assertEquals(Duration.ofMillis(900), down.waited());
    assertTrue(down.duration().compareTo(Duration.ofSeconds(5)) < 0, down.duration()::toString);
    for (TargetResult healthy : List.of(report.results().get(0), report.results().get(2))) {
      assertEquals(TargetStatus.PUSHED, healthy.status(), report::toString);
      assertTrue(healthy.duration().compareTo(down.duration()) < 0, report::toString);
    }
  }

  @Test
  @DisplayName(
      "a wrong password: failed after one attempt and at most one re-authentication, naming the"
          + " registry, without the password")
  void wrongPassword() throws Exception {
    String wrong = "not-the-password-7f3a";
    PushReport report =
        Pipeline.prepare(NO_VARIABLES)
            .image(image("wrong"))
            .tags("1.0.0")
            .push(
                Target.to(WITH_AUTH.reference("auth/app"))
                    .allowPlainHttp()
                    .credentials(CredentialSource.of(WITH_AUTH.username(), wrong)))
            .run();

    TargetResult result = report.results().get(0);
    assertEquals(TargetStatus.FAILED, result.status(), report::toString);
    assertTrue(result.attempts() <= 2, report::toString);
    assertTrue(result.detail().contains("refused the credential"), result::detail);
    assertTrue(result.detail().contains(WITH_AUTH.host()), result::detail);
    assertFalse(report.toString().contains(wrong));
  }

  @Test
  @DisplayName("a Retry-After beyond the deadline fails at once and says so")
  void retryAfterBeyondDeadline() throws Exception {
    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.inFrontOf(THIRD.host())
            .failManifestUploads(1, 429, Duration.ofSeconds(60))
            .start()) {
      RetryPolicy shortDeadline = RetryPolicy.custom().deadline(Duration.ofSeconds(10)).build();
      PushReport report = push(image("deadline"), shortDeadline, proxy.host() + "/late/app");

      TargetResult result = report.results().get(0);
      assertEquals(TargetStatus.FAILED, result.status(), report::toString);
      assertEquals(1, result.attempts());
      assertTrue(result.detail().contains("deadline"), result::detail);
      assertTrue(result.detail().contains("60 s"), result::detail);
      assertTrue(
          result.duration().compareTo(Duration.ofSeconds(5)) < 0, result.duration()::toString);
    }
  }

  @Test
  @DisplayName(
      "a 429 on one target holds every other target on the same host until its Retry-After has"
          + " passed")
  void sharedHostBackoff() throws Exception {
    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.inFrontOf(FIRST.host())
            .failManifestUploads(1, 429, Duration.ofSeconds(2))
            .start()) {
      PushReport report =
          Pipeline.prepare(NO_VARIABLES)
              .image(image("shared"))
              .tags("1.0.0")
              .maxConcurrentPushesPerHost(1)
              .push(Target.to(proxy.host() + "/shared/one").allowPlainHttp())
              .push(Target.to(proxy.host() + "/shared/two").allowPlainHttp())
              .run();

      assertEquals(2, report.withStatus(TargetStatus.PUSHED).size(), report::toString);
      Instant limited = proxy.faults().get(0).at();
      List<ProxyEvent> later =
          proxy.events().stream().filter(event -> event.at().isAfter(limited)).toList();
      assertFalse(later.isEmpty());
      for (ProxyEvent event : later) {
        assertTrue(gap(limited, event.at()) >= 2000, () -> "too early: " + event);
      }
    }
  }

  @Test
  @DisplayName("a limit of one manifest upload per second spaces the pushes to a host")
  void manifestUploadLimit() throws Exception {
    try (FaultInjectingProxy proxy = FaultInjectingProxy.inFrontOf(SECOND.host()).start()) {
      PushReport report =
          Pipeline.prepare(NO_VARIABLES)
              .image(image("limited-rate"))
              .tags("1.0.0")
              .maxConcurrentPushesPerHost(3)
              .limitManifestUploads(proxy.host(), 1)
              .push(Target.to(proxy.host() + "/rate/one").allowPlainHttp())
              .push(Target.to(proxy.host() + "/rate/two").allowPlainHttp())
              .push(Target.to(proxy.host() + "/rate/three").allowPlainHttp())
              .run();

      assertEquals(3, report.withStatus(TargetStatus.PUSHED).size(), report::toString);
      // A push starts with its first request into its repository (the GET /v2/ before it may
      // be a warm-up sent during the build).
      List<Instant> attemptStarts =
          proxy.events().stream()
              .filter(event -> event.path().startsWith("/v2/rate/"))
              .collect(
                  Collectors.toMap(
                      event -> event.path().split("/")[3],
                      ProxyEvent::at,
                      BinaryOperator.minBy(Instant::compareTo)))
              .values()
              .stream()
              .sorted()
              .toList();
      assertEquals(3, attemptStarts.size(), proxy.events()::toString);
      assertTrue(gap(attemptStarts.get(0), attemptStarts.get(2)) >= 1000, attemptStarts::toString);
    }
  }

  private PushReport push(JibContainerBuilder image, RetryPolicy policy, String reference) {
    return Pipeline.prepare(NO_VARIABLES)
        .image(image)
        .tags("1.0.0")
        .retryPolicy(policy)
        .push(Target.to(reference).allowPlainHttp())
        .run();
  }

  private JibContainerBuilder image(String name) throws IOException {
    return TestImages.incompressible(Files.createDirectories(folder.resolve(name)), name);
  }

  private static long gap(Instant earlier, Instant later) {
    return Duration.between(earlier, later).toMillis();
  }

  private static List<String> layerDigests(String host, String repository, String tag)
      throws Exception {
    HttpResponse<String> manifest =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://" + host + "/v2/" + repository + "/manifests/" + tag))
                    .header(
                        "Accept",
                        "application/vnd.docker.distribution.manifest.v2+json,"
                            + "application/vnd.oci.image.manifest.v1+json")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    String body = manifest.body();
    String layers = body.substring(body.indexOf("\"layers\""));
    Matcher digest =
        Pattern.compile("\"digest\"\\s*:\\s*\"(sha256:[0-9a-f]{64})\"").matcher(layers);
    List<String> digests = new ArrayList<>();
    while (digest.find()) {
      digests.add(digest.group(1));
    }
    return digests;
  }
}
