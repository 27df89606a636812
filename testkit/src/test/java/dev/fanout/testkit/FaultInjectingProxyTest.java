package dev.fanout.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("FaultInjectingProxy")
class FaultInjectingProxyTest {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  private static LocalRegistry registry;

  @TempDir Path folder;

  @BeforeAll
  static void startRegistry() {
    registry = LocalRegistry.plain().start();
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  @Test
  @DisplayName(
      "an image pushed with skopeo through a proxy without faults lands in the registry, every step"
          + " forwarded")
  void passThroughPush() throws IOException {
    TinyOciImage image = TinyOciImage.write(folder.resolve("layout"), "1.0", "pass-through");
    try (FaultInjectingProxy proxy = FaultInjectingProxy.inFrontOf(registry.host()).start()) {
      image.pushWithSkopeo(proxy.host() + "/demo/app:1.0", Optional.empty());

      assertEquals(
          Optional.of(image.manifestDigest()),
          RegistryChecker.manifestDigest(registry.host(), "demo/app", "1.0", Optional.empty()));
      assertEquals(List.of(), proxy.faults());
      assertEquals(
          1, proxy.requestCount(event -> event.isManifestUpload() && event.status() == 201));
      assertTrue(
          proxy.events().stream().noneMatch(event -> event.ended().isBefore(event.at())),
          "an event ended before it began: " + proxy.events());
      assertTrue(
          proxy.requestCount(event -> event.isBlobUpload() && event.method().equals("PUT")) > 0,
          "blob uploads finished through the proxy: " + proxy.events());
    }
  }

  @Test
  @DisplayName(
      "a chunked blob upload streams through the proxy, and the registry's Location points back at"
          + " the proxy")
  void chunkedBlobUpload() throws Exception {
    byte[] blob = randomBytes(100_000);
    String digest = Digests.sha256(blob);
    try (FaultInjectingProxy proxy = FaultInjectingProxy.inFrontOf(registry.host()).start()) {
      String location = startUpload(proxy.host(), "demo/chunked");
      assertTrue(
          location.startsWith("http://" + proxy.host() + "/v2/demo/chunked/blobs/uploads/"),
          location);

      HttpResponse<String> patch =
          send(
              HttpRequest.newBuilder(URI.create(location))
                  .method("PATCH", chunked(blob))
                  .header("Content-Type", "application/octet-stream"));
      assertEquals(202, patch.statusCode(), patch.body());
      assertEquals("0-" + (blob.length - 1), patch.headers().firstValue("Range").orElseThrow());

      HttpResponse<String> put =
          send(HttpRequest.newBuilder(withDigest(patch, digest)).PUT(BodyPublishers.noBody()));
      assertEquals(201, put.statusCode(), put.body());
      assertEquals(digest, put.headers().firstValue("Docker-Content-Digest").orElseThrow());

      HttpResponse<String> head =
          send(
              HttpRequest.newBuilder(uri(proxy.host(), "/v2/demo/chunked/blobs/" + digest))
                  .method("HEAD", BodyPublishers.noBody()));
      assertEquals(200, head.statusCode());
      assertEquals(
          String.valueOf(blob.length), head.headers().firstValue("Content-Length").orElseThrow());
    }
    assertTrue(
        RegistryChecker.blobDigestMatches(
            registry.host(), "demo/chunked", digest, Optional.empty()));
  }

  @Test
  @DisplayName(
      "a client that sends Expect: 100-continue is let through by the proxy and its upload lands")
  void expectContinue() throws Exception {
    byte[] blob = randomBytes(10_000);
    String digest = Digests.sha256(blob);
    try (FaultInjectingProxy proxy = FaultInjectingProxy.inFrontOf(registry.host()).start()) {
      String location = startUpload(proxy.host(), "demo/expect");
      HttpResponse<String> put =
          send(
              HttpRequest.newBuilder(URI.create(location + "&digest=" + digest))
                  .expectContinue(true)
                  .header("Content-Type", "application/octet-stream")
                  .PUT(BodyPublishers.ofByteArray(blob)));
      assertEquals(201, put.statusCode(), put.body());
    }
    assertTrue(
        RegistryChecker.blobDigestMatches(
            registry.host(), "demo/expect", digest, Optional.empty()));
  }

  @Test
  @DisplayName(
      "the first two manifest uploads answer 429 with Retry-After, and the proxy's clock shows the"
          + " client waited")
  void failManifestUploads() throws Exception {
    TinyOciImage image = TinyOciImage.write(folder.resolve("layout"), "base", "manifest retries");
    image.pushWithSkopeo(registry.host() + "/demo/retry:base", Optional.empty());
    byte[] manifest =
        Files.readAllBytes(
            image
                .layout()
                .resolve("blobs/sha256/" + image.manifestDigest().substring("sha256:".length())));

    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.inFrontOf(registry.host())
            .failManifestUploads(2, 429, Duration.ofSeconds(1))
            .start()) {
      List<Integer> statuses = new ArrayList<>();
      HttpResponse<String> response;
      do {
        response =
            send(
                HttpRequest.newBuilder(uri(proxy.host(), "/v2/demo/retry/manifests/1.0"))
                    .header("Content-Type", OCI_MANIFEST)
                    .PUT(BodyPublishers.ofByteArray(manifest)));
        statuses.add(response.statusCode());
        if (response.statusCode() == 429) {
          assertEquals(
              "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"injected 429\"}]}",
              response.body());
          Thread.sleep(
              Duration.ofSeconds(
                      Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow()))
                  .toMillis());
        }
      } while (response.statusCode() == 429 && statuses.size() < 3);

      assertEquals(List.of(429, 429, 201), statuses);
      List<ProxyEvent> manifestUploads =
          proxy.events().stream().filter(ProxyEvent::isManifestUpload).toList();
      assertEquals(
          List.of(
              ProxyEvent.Action.FAILED_MANIFEST_UPLOAD,
              ProxyEvent.Action.FAILED_MANIFEST_UPLOAD,
              ProxyEvent.Action.FORWARDED),
          manifestUploads.stream().map(ProxyEvent::action).toList());
      for (int i = 1; i < manifestUploads.size(); i++) {
        Duration wait =
            Duration.between(manifestUploads.get(i - 1).at(), manifestUploads.get(i).at());
        assertTrue(
            wait.compareTo(Duration.ofSeconds(1)) >= 0,
            "attempt " + (i + 1) + " came after only " + wait);
      }
    }
    assertEquals(
        Optional.of(image.manifestDigest()),
        RegistryChecker.manifestDigest(registry.host(), "demo/retry", "1.0", Optional.empty()));
  }

  @Test
  @DisplayName(
      "a seeded share of requests answers 503 with an OCI error body, on exactly the requests new"
          + " Random(seed) picks")
  void failShareOfRequests() throws Exception {
    long seed = 42;
    Random expected = new Random(seed);
    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.inFrontOf(registry.host())
            .failShareOfRequests(0.3, seed, 503, Duration.ofSeconds(1))
            .start()) {
      for (int i = 0; i < 40; i++) {
        HttpResponse<String> response =
            send(HttpRequest.newBuilder(uri(proxy.host(), "/v2/")).GET());
        if (expected.nextDouble() < 0.3) {
          assertEquals(503, response.statusCode(), "request " + i);
          assertEquals(
              "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"injected 503\"}]}",
              response.body());
          assertEquals(Optional.of("1"), response.headers().firstValue("Retry-After"));
        } else {
          assertEquals(200, response.statusCode(), "request " + i);
        }
      }
      long failed =
          proxy.requestCount(event -> event.action() == ProxyEvent.Action.FAILED_SHARE_OF_REQUESTS);
      assertEquals(proxy.faults().size(), failed);
      assertTrue(failed > 0 && failed < 40, failed + " of 40 failed");
    }
  }

  @Test
  @DisplayName(
      "an unseeded share picks other requests on each proxy, each answered 503 with Retry-After and"
          + " an OCI error body")
  void failRandomShareOfRequests() throws Exception {
    List<List<Integer>> statusesPerProxy = new ArrayList<>();
    for (int proxyIndex = 0; proxyIndex < 2; proxyIndex++) {
      try (FaultInjectingProxy proxy =
          FaultInjectingProxy.inFrontOf(registry.host())
              .failShareOfRequests(0.5, 503, Duration.ofSeconds(1))
              .start()) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
          HttpResponse<String> response =
              send(HttpRequest.newBuilder(uri(proxy.host(), "/v2/")).GET());
          statuses.add(response.statusCode());
          if (response.statusCode() == 503) {
            assertEquals(
                "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"injected 503\"}]}",
                response.body());
            assertEquals(Optional.of("1"), response.headers().firstValue("Retry-After"));
          }
        }
        assertTrue(statuses.contains(503) && statuses.contains(200), statuses.toString());
        assertEquals(
            statuses.stream().filter(status -> status == 503).count(),
            proxy.requestCount(
                event -> event.action() == ProxyEvent.Action.FAILED_SHARE_OF_REQUESTS));
        statusesPerProxy.add(statuses);
      }
    }
    // Two unseeded proxies agree on all 64 picks with a chance of 2^-64.
    assertNotEquals(statusesPerProxy.get(0), statusesPerProxy.get(1));
  }

  @Test
  @DisplayName(
      "failEveryRequest answers GET, HEAD and PUT alike with 429 and Retry-After: 999999999, and"
          + " forwards nothing")
  void failEveryRequest() throws Exception {
    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.inFrontOf(registry.host())
            .failEveryRequest(429, Duration.ofSeconds(999_999_999))
            .start()) {
      List<HttpResponse<String>> responses =
          List.of(
              send(HttpRequest.newBuilder(uri(proxy.host(), "/v2/")).GET()),
              send(
                  HttpRequest.newBuilder(uri(proxy.host(), "/v2/demo/every/manifests/1.0"))
                      .method("HEAD", BodyPublishers.noBody())),
              send(
                  HttpRequest.newBuilder(uri(proxy.host(), "/v2/demo/every/manifests/1.0"))
                      .header("Content-Type", OCI_MANIFEST)
                      .PUT(BodyPublishers.ofString("{}"))));
      for (HttpResponse<String> response : responses) {
        assertEquals(429, response.statusCode(), response.request().toString());
        assertEquals(Optional.of("999999999"), response.headers().firstValue("Retry-After"));
      }
      assertEquals(
          "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"injected 429\"}]}",
          responses.get(0).body());
      assertEquals("", responses.get(1).body());
      assertEquals(3, proxy.faults().size(), proxy.events()::toString);
      assertEquals(0, proxy.requestCount(event -> event.action() == ProxyEvent.Action.FORWARDED));
    }
  }

  @Test
  @DisplayName(
      "limitRate(rate, 2, 1 s) lets 1 + 2 requests through at once, then answers 429 with"
          + " Retry-After and TOOMANYREQUESTS until the bucket refills")
  void limitRate() throws Exception {
    // A rate of one request per 1000 s: nothing refills while the test runs, so exactly the
    // bucket's 1 + burst requests pass however slow the machine is. TokenBucketTest covers refills.
    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.inFrontOf(registry.host())
            .limitRate(0.001, 2, Duration.ofSeconds(1))
            .start()) {
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        HttpRequest.Builder request =
            i % 2 == 0
                ? HttpRequest.newBuilder(uri(proxy.host(), "/v2/")).GET()
                : HttpRequest.newBuilder(uri(proxy.host(), "/v2/demo/limited/manifests/1.0"))
                    .method("HEAD", BodyPublishers.noBody());
        HttpResponse<String> response = send(request);
        statuses.add(response.statusCode());
        if (response.statusCode() == 429) {
          assertEquals(Optional.of("1"), response.headers().firstValue("Retry-After"));
          assertEquals(
              i % 2 == 0
                  ? "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"injected 429\"}]}"
                  : "",
              response.body());
        }
      }

      assertEquals(List.of(200, 404, 200, 429, 429, 429), statuses);
      assertEquals(
          List.of(
              ProxyEvent.Action.FORWARDED,
              ProxyEvent.Action.FORWARDED,
              ProxyEvent.Action.FORWARDED,
              ProxyEvent.Action.RATE_LIMITED,
              ProxyEvent.Action.RATE_LIMITED,
              ProxyEvent.Action.RATE_LIMITED),
          proxy.events().stream().map(ProxyEvent::action).toList());
    }
  }

  @Test
  @DisplayName(
      "a request refused by the rate limit counts against no later rule: the manifest failure"
          + " waits for a request the limiter lets through")
  void limitRateComesFirst() throws Exception {
    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.inFrontOf(registry.host())
            .limitRate(0.001, 0, Duration.ofSeconds(1))
            .failManifestUploads(1, 503)
            .start()) {
      HttpRequest.Builder manifestUpload =
          HttpRequest.newBuilder(uri(proxy.host(), "/v2/demo/first/manifests/1.0"))
              .header("Content-Type", OCI_MANIFEST)
              .PUT(BodyPublishers.ofString("{}"));
      assertEquals(503, send(manifestUpload).statusCode());
      assertEquals(429, send(manifestUpload).statusCode());
      assertEquals(
          List.of(ProxyEvent.Action.FAILED_MANIFEST_UPLOAD, ProxyEvent.Action.RATE_LIMITED),
          proxy.events().stream().map(ProxyEvent::action).toList());
    }
  }

  @Test
  @DisplayName(
      "delayRequests holds each forwarded request: its event spans at least the delay, and the"
          + " registry still answers")
  void delayRequests() throws Exception {
    Duration delay = Duration.ofMillis(300);
    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.inFrontOf(registry.host()).delayRequests(delay).start()) {
      assertEquals(200, send(HttpRequest.newBuilder(uri(proxy.host(), "/v2/")).GET()).statusCode());

      ProxyEvent forwarded = proxy.events().get(0);
      assertEquals(ProxyEvent.Action.FORWARDED, forwarded.action());
      assertTrue(
          Duration.between(forwarded.at(), forwarded.ended()).compareTo(delay) >= 0,
          forwarded::toString);
    }
  }

  @Test
  @DisplayName(
      "dropBlobUploads picks only uploads longer than its cut: a short monolithic PUT lands, a"
          + " long one is cut off")
  void dropOnlyLongerUploads() throws Exception {
    byte[] small = randomBytes(512);
    byte[] large = randomBytes(32 * 1024);
    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.inFrontOf(registry.host()).dropBlobUploads(1, 1024).start()) {
      HttpResponse<String> smallPut =
          send(
              HttpRequest.newBuilder(
                      URI.create(
                          startUpload(proxy.host(), "demo/cut")
                              + "&digest="
                              + Digests.sha256(small)))
                  .PUT(BodyPublishers.ofByteArray(small)));
      assertEquals(201, smallPut.statusCode(), smallPut.body());

      String largeUpload =
          startUpload(proxy.host(), "demo/cut") + "&digest=" + Digests.sha256(large);
      assertThrows(
          IOException.class,
          () ->
              send(
                  HttpRequest.newBuilder(URI.create(largeUpload))
                      .PUT(BodyPublishers.ofByteArray(large))));

      List<ProxyEvent> faults = proxy.faults();
      assertEquals(1, faults.size(), faults.toString());
      assertEquals("PUT", faults.get(0).method());
      assertEquals(ProxyEvent.Action.DROPPED_BLOB_UPLOAD, faults.get(0).action());
    }
    assertTrue(
        RegistryChecker.blobDigestMatches(
            registry.host(), "demo/cut", Digests.sha256(small), Optional.empty()));
    assertFalse(
        RegistryChecker.blobDigestMatches(
            registry.host(), "demo/cut", Digests.sha256(large), Optional.empty()));
  }

  @Test
  @DisplayName(
      "the first blob upload is cut off mid-body: the client gets an IOException and the registry"
          + " no blob; the retry lands")
  void dropBlobUploads() throws Exception {
    byte[] blob = randomBytes(64 * 1024);
    String digest = Digests.sha256(blob);
    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.inFrontOf(registry.host()).dropBlobUploads(1, 1024).start()) {
      String location = startUpload(proxy.host(), "demo/dropped");
      assertThrows(
          IOException.class,
          () ->
              send(
                  HttpRequest.newBuilder(URI.create(location))
                      .method("PATCH", chunked(blob))
                      .header("Content-Type", "application/octet-stream")));
      assertFalse(
          RegistryChecker.blobDigestMatches(
              registry.host(), "demo/dropped", digest, Optional.empty()));

      HttpResponse<String> retry =
          send(
              HttpRequest.newBuilder(
                      URI.create(startUpload(proxy.host(), "demo/dropped") + "&digest=" + digest))
                  .PUT(BodyPublishers.ofByteArray(blob)));
      assertEquals(201, retry.statusCode(), retry.body());

      List<ProxyEvent> faults = proxy.faults();
      assertEquals(1, faults.size(), faults.toString());
      assertEquals(ProxyEvent.Action.DROPPED_BLOB_UPLOAD, faults.get(0).action());
      assertEquals("PATCH", faults.get(0).method());
      assertEquals(ProxyEvent.NO_STATUS, faults.get(0).status());
    }
    assertTrue(
        RegistryChecker.blobDigestMatches(
            registry.host(), "demo/dropped", digest, Optional.empty()));
  }

  @Test
  @DisplayName(
      "401 challenges and Authorization headers pass through, so an authenticated skopeo push"
          + " lands")
  void authPassesThrough() throws Exception {
    TinyOciImage image = TinyOciImage.write(folder.resolve("layout"), "1.0", "with auth");
    try (LocalRegistry secured = LocalRegistry.withBasicAuth("u", "p").start();
        FaultInjectingProxy proxy = FaultInjectingProxy.inFrontOf(secured.host()).start()) {
      HttpResponse<String> challenge =
          send(HttpRequest.newBuilder(uri(proxy.host(), "/v2/")).GET());
      assertEquals(401, challenge.statusCode());
      assertTrue(
          challenge
              .headers()
              .firstValue("WWW-Authenticate")
              .orElseThrow()
              .startsWith("Basic realm="),
          challenge.headers().toString());

      image.pushWithSkopeo(proxy.host() + "/demo/auth:1.0", secured.credentials());

      assertEquals(
          Optional.of(image.manifestDigest()),
          RegistryChecker.manifestDigest(
              secured.host(), "demo/auth", "1.0", secured.credentials()));
      assertEquals(
          1, proxy.requestCount(event -> event.isManifestUpload() && event.status() == 201));
    }
  }

  @Test
  @DisplayName(
      "answer(2, ...) sends the scripted status, headers and body to the first two matching"
          + " requests, then forwards")
  void scriptedAnswer() throws Exception {
    ScriptedResponse tagInvalid =
        ScriptedResponse.json(400, "{\"errors\":[{\"code\":\"TAG_INVALID\"}]}")
            .withHeader("X-Scripted", "yes");
    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.inFrontOf(registry.host())
            .answer(2, request -> request.path().equals("/v2/"), tagInvalid)
            .start()) {
      List<HttpResponse<String>> responses = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        responses.add(send(HttpRequest.newBuilder(uri(proxy.host(), "/v2/")).GET()));
      }
      HttpResponse<String> other =
          send(HttpRequest.newBuilder(uri(proxy.host(), "/v2/demo/other/tags/list")).GET());

      for (HttpResponse<String> scripted : responses.subList(0, 2)) {
        assertEquals(400, scripted.statusCode());
        assertEquals("{\"errors\":[{\"code\":\"TAG_INVALID\"}]}", scripted.body());
        assertEquals(Optional.of("yes"), scripted.headers().firstValue("X-Scripted"));
        assertEquals(
            Optional.of("application/json; charset=utf-8"),
            scripted.headers().firstValue("Content-Type"));
      }
      assertEquals(200, responses.get(2).statusCode());
      assertEquals(Optional.empty(), responses.get(2).headers().firstValue("X-Scripted"));
      assertEquals(404, other.statusCode());
      assertEquals(
          List.of(
              ProxyEvent.Action.SCRIPTED_ANSWER,
              ProxyEvent.Action.SCRIPTED_ANSWER,
              ProxyEvent.Action.FORWARDED,
              ProxyEvent.Action.FORWARDED),
          proxy.events().stream().map(ProxyEvent::action).toList());
    }
  }

  @Test
  @DisplayName(
      "setResponseHeaders on manifest uploads: the manifest lands, but the client is told another"
          + " Docker-Content-Digest; other requests keep the registry's headers")
  void setResponseHeaders() throws Exception {
    TinyOciImage image = TinyOciImage.write(folder.resolve("layout"), "base", "other digest");
    image.pushWithSkopeo(registry.host() + "/demo/claims:base", Optional.empty());
    byte[] manifest =
        Files.readAllBytes(
            image
                .layout()
                .resolve("blobs/sha256/" + image.manifestDigest().substring("sha256:".length())));
    String otherDigest = Digests.sha256("another image".getBytes(StandardCharsets.UTF_8));

    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.inFrontOf(registry.host())
            .setResponseHeaders(
                ProxyRequest::isManifestUpload, Map.of("Docker-Content-Digest", otherDigest))
            .start()) {
      HttpResponse<String> put =
          send(
              HttpRequest.newBuilder(uri(proxy.host(), "/v2/demo/claims/manifests/1.0"))
                  .header("Content-Type", OCI_MANIFEST)
                  .PUT(BodyPublishers.ofByteArray(manifest)));
      HttpResponse<String> head =
          send(
              HttpRequest.newBuilder(uri(proxy.host(), "/v2/demo/claims/manifests/1.0"))
                  .header("Accept", OCI_MANIFEST)
                  .method("HEAD", BodyPublishers.noBody()));

      assertEquals(201, put.statusCode(), put.body());
      assertEquals(List.of(otherDigest), put.headers().allValues("Docker-Content-Digest"));
      assertEquals(
          List.of(image.manifestDigest()), head.headers().allValues("Docker-Content-Digest"));
      assertEquals(
          List.of(ProxyEvent.Action.FORWARDED_WITH_HEADERS, ProxyEvent.Action.FORWARDED),
          proxy.events().stream().map(ProxyEvent::action).toList());
    }
    assertEquals(
        Optional.of(image.manifestDigest()),
        RegistryChecker.manifestDigest(registry.host(), "demo/claims", "1.0", Optional.empty()));
  }

  @Test
  @DisplayName(
      "a scripted response or header rule that would break the response's framing is refused"
          + " before the proxy starts")
  void scriptedFramingRefused() {
    FaultInjectingProxy.Builder builder = FaultInjectingProxy.inFrontOf(registry.host());
    assertThrows(
        IllegalArgumentException.class,
        () -> new ScriptedResponse(200, Map.of("Content-Length", "5"), "hello"));
    assertThrows(
        IllegalArgumentException.class,
        () -> ScriptedResponse.json(400, "{}").withHeader("X-Split", "a\r\nInjected: yes"));
    assertThrows(IllegalArgumentException.class, () -> ScriptedResponse.json(100, ""));
    assertThrows(
        IllegalArgumentException.class,
        () -> builder.setResponseHeaders(request -> true, Map.of("Transfer-Encoding", "chunked")));
  }

  @Test
  @DisplayName("a proxy that is down resets every connection before reading a request")
  void down() throws IOException {
    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.inFrontOf(registry.host()).down().start()) {
      assertThrows(IOException.class, () -> statusLineOnNewConnection(proxy.host()));
      assertThrows(IOException.class, () -> statusLineOnNewConnection(proxy.host()));

      assertEquals(
          List.of(ProxyEvent.Action.CLOSED_CONNECTION, ProxyEvent.Action.CLOSED_CONNECTION),
          proxy.events().stream().map(ProxyEvent::action).toList());
    }
  }

  @Test
  @DisplayName(
      "closeConnections(1) resets the first connection only, then the registry answers again")
  void closeFirstConnection() throws IOException {
    try (FaultInjectingProxy proxy =
        FaultInjectingProxy.inFrontOf(registry.host()).closeConnections(1).start()) {
      assertThrows(IOException.class, () -> statusLineOnNewConnection(proxy.host()));
      assertEquals("HTTP/1.1 200 OK", statusLineOnNewConnection(proxy.host()));

      assertEquals(
          List.of(ProxyEvent.Action.CLOSED_CONNECTION, ProxyEvent.Action.FORWARDED),
          proxy.events().stream().map(ProxyEvent::action).toList());
    }
  }

  @Test
  @DisplayName("unreachableHost() names a loopback port where connections are refused")
  void unreachableHost() {
    String host = FaultInjectingProxy.unreachableHost();
    assertTrue(host.startsWith("127.0.0.1:"), host);
    assertThrows(
        ConnectException.class, () -> send(HttpRequest.newBuilder(uri(host, "/v2/")).GET()));
  }

  /** Opens a blob upload session on {@code host} and returns the registry's {@code Location}. */
  private static String startUpload(String host, String repository)
      throws IOException, InterruptedException {
    HttpResponse<String> post =
        send(
            HttpRequest.newBuilder(uri(host, "/v2/" + repository + "/blobs/uploads/"))
                .POST(BodyPublishers.noBody()));
    assertEquals(202, post.statusCode(), post.body());
    return post.headers().firstValue("Location").orElseThrow();
  }

  /**
   * Sends {@code GET /v2/} on a connection of its own and returns the status line. {@code
   * HttpClient} would quietly resend a GET whose connection was reset, which hides the reset these
   * tests look for.
   */
  private static String statusLineOnNewConnection(String host) throws IOException {
    int colon = host.lastIndexOf(':');
    try (Socket socket =
        new Socket(host.substring(0, colon), Integer.parseInt(host.substring(colon + 1)))) {
      socket
          .getOutputStream()
          .write(
              ("GET /v2/ HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      return HttpHead.readLine(socket.getInputStream());
    }
  }

  private static URI withDigest(HttpResponse<?> response, String digest) {
    return URI.create(
        response.headers().firstValue("Location").orElseThrow() + "&digest=" + digest);
  }

  /**
   * A body of unknown length, which {@code HttpClient} sends with {@code Transfer-Encoding:
   * chunked}.
   */
  private static BodyPublisher chunked(byte[] bytes) {
    return BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
  }

  private static URI uri(String host, String path) {
    return URI.create("http://" + host + path);
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }
}
