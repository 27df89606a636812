package dev.fanout.internal.transport;

import static dev.fanout.internal.transport.Fixtures.blob;
import static dev.fanout.internal.transport.Fixtures.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.internal.image.Blob;
import dev.fanout.internal.image.Digests;
import dev.fanout.internal.image.ImageInHand;
import dev.fanout.internal.transport.Fixtures.RecordingRunner;
import dev.fanout.internal.transport.StubRegistry.Answer;
import dev.fanout.internal.transport.StubRegistry.Seen;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PushFlowTest {

  private static final int MIB = 1024 * 1024;

  @Test
  @DisplayName(
      "each logical request of a push is one runner call, with a short secret-free description")
  void oneRunnerCallPerRequest() throws Exception {
    MiniRegistry registry = new MiniRegistry();
    Blob held = blob("held");
    Blob missing = blob("missing");
    RecordingRunner runner = new RecordingRunner(1);
    try (StubRegistry stub = new StubRegistry(registry);
        RegistryTransport transport = RegistryTransport.create()) {
      registry.blobs.add("acme/app " + held.digest());

      client(transport, stub, runner).push(image(held, missing), List.of("1", "2"));

      String on = " on " + stub.host() + "/acme/app";
      assertEquals(
          List.of(
              "HEAD blob " + held.digest().substring(0, 15) + "..." + on,
              "HEAD blob " + missing.digest().substring(0, 15) + "..." + on,
              "POST upload of blob " + missing.digest().substring(0, 15) + "..." + on,
              "PUT blob " + missing.digest().substring(0, 15) + "..." + on,
              "PUT manifest 1" + on,
              "PUT manifest 2" + on),
          runner.whats);
      assertEquals(
          List.of("HEAD", "HEAD", "POST", "PUT", "PUT", "PUT"),
          stub.requests().stream().map(Seen::method).toList());
      for (Seen request : stub.requests()) {
        assertEquals(Optional.of("fanout"), request.header("user-agent"));
        assertEquals(Optional.empty(), request.header("upgrade"), "no h2c upgrade on plain HTTP");
      }
      assertEquals(Optional.of("0"), stub.requests().get(2).header("content-length"));
    }
  }

  @Test
  @DisplayName("a relative upload Location with ?_state= is resolved and digest= added with &")
  void relativeLocationWithState() throws Exception {
    Blob layer = blob("layer bytes");
    try (StubRegistry stub = new StubRegistry(new MiniRegistry());
        RegistryTransport transport = RegistryTransport.create()) {
      client(transport, stub, RequestRunner.once()).push(image(layer), List.of("1"));

      Seen put = stub.requests().get(2);
      assertEquals("PUT", put.method());
      assertEquals(
          "/v2/acme/app/blobs/uploads/u1?_state=s1&digest=sha256%3A" + layer.digest().substring(7),
          put.target());
      assertEquals(layer.size(), put.bodyLength());
      assertEquals(layer.digest(), "sha256:" + put.bodySha256());
      assertEquals(Optional.of("application/octet-stream"), put.header("content-type"));
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"404, BLOB_UPLOAD_UNKNOWN", "400, BLOB_UPLOAD_INVALID", "416, RANGE_INVALID"})
  @DisplayName("a lost upload session fails the PUT, whose retry opens a new session with POST")
  void sessionRestart(int status, String code) throws Exception {
    MiniRegistry registry = new MiniRegistry();
    StubRegistry.Script losesFirstSession =
        (request, before) -> {
          boolean firstPut =
              request.method().equals("PUT")
                  && request.path().contains("/uploads/")
                  && before.stream().noneMatch(seen -> seen.method().equals("PUT"));
          return firstPut
              ? new Answer(
                  status,
                  Map.of("Content-Type", "application/json"),
                  "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"gone\"}]}")
              : registry.answer(request, before);
        };
    Blob layer = blob("layer");
    RecordingRunner runner = new RecordingRunner(3);
    try (StubRegistry stub = new StubRegistry(losesFirstSession);
        RegistryTransport transport = RegistryTransport.create()) {
      client(transport, stub, runner).push(image(layer), List.of("1"));

      assertEquals(
          List.of("HEAD", "POST", "PUT", "POST", "PUT", "PUT"),
          stub.requests().stream().map(Seen::method).toList());
      assertTrue(stub.requests().get(4).target().startsWith("/v2/acme/app/blobs/uploads/u2?"));
      assertEquals(4, runner.whats.size(), runner.whats.toString());
      RegistryResponseException lost =
          assertInstanceOf(RegistryResponseException.class, runner.failures.get(0));
      assertTrue(lost.uploadSessionLost());
      assertEquals(status, lost.status());
      assertEquals(List.of(code), lost.errorCodes());
      assertTrue(registry.blobs.contains("acme/app " + layer.digest()));
    }
  }

  @Test
  @DisplayName("without retries, a lost upload session fails the push and says so")
  void sessionLostWithoutRetry() throws Exception {
    MiniRegistry registry = new MiniRegistry();
    StubRegistry.Script lost =
        (request, before) ->
            request.method().equals("PUT") && request.path().contains("/uploads/")
                ? new Answer(404, Map.of(), "{\"errors\":[{\"code\":\"BLOB_UPLOAD_UNKNOWN\"}]}")
                : registry.answer(request, before);
    try (StubRegistry stub = new StubRegistry(lost);
        RegistryTransport transport = RegistryTransport.create()) {
      RepositoryClient client = client(transport, stub, RequestRunner.once());

      RegistryResponseException failure =
          assertThrows(
              RegistryResponseException.class, () -> client.push(image(blob("x")), List.of("1")));

      assertTrue(failure.uploadSessionLost());
      assertEquals("PUT", failure.method());
      assertTrue(failure.path().startsWith("/v2/acme/app/blobs/uploads/u1"), failure.path());
      assertTrue(!failure.path().contains("_state"), failure.path());
    }
  }

  @Test
  @DisplayName("OCI-Chunk-Min-Length turns the upload into PATCHes that follow the newest Location")
  void chunkedWhenTheRegistryAsks() throws Exception {
    byte[] bytes = pattern(20 * MIB);
    long chunk = 9L * MIB;
    ChunkingRegistry registry = new ChunkingRegistry(Map.of("OCI-Chunk-Min-Length", "" + chunk));
    try (StubRegistry stub = new StubRegistry(registry);
        RegistryTransport transport = RegistryTransport.create()) {
      client(transport, stub, RequestRunner.once()).push(image(blob(bytes)), List.of("1"));
    }
    assertChunks(registry, bytes, chunk, 1);
  }

  @Test
  @DisplayName("a 413 to the whole blob restarts the upload in chunks of 8 MiB")
  void chunkedAfter413() throws Exception {
    byte[] bytes = pattern(20 * MIB);
    ChunkingRegistry registry = new ChunkingRegistry(Map.of());
    registry.refuseWholeBlob = true;
    try (StubRegistry stub = new StubRegistry(registry);
        RegistryTransport transport = RegistryTransport.create()) {
      client(transport, stub, RequestRunner.once()).push(image(blob(bytes)), List.of("1"));
    }
    assertEquals(413, registry.seen.get(2).status);
    assertChunks(registry, bytes, BlobUpload.CHUNK_SIZE, 3);
  }

  @Test
  @DisplayName("a blob held in another repository of the host is mounted, not uploaded")
  void mountsFromAnotherRepository() throws Exception {
    MiniRegistry registry = new MiniRegistry();
    Blob layer = blob("shared layer");
    try (StubRegistry stub = new StubRegistry(registry);
        RegistryTransport transport = RegistryTransport.create()) {
      client(transport, stub, RequestRunner.once()).push(image(layer), List.of("1"));
      transport
          .repository(
              new RepositoryEndpoint(stub.host(), "acme/other", true),
              Optional.empty(),
              RequestRunner.once())
          .push(image(layer), List.of("1"));

      List<String> other =
          stub.requests().stream()
              .map(seen -> seen.method() + " " + seen.target())
              .filter(line -> line.contains("/acme/other/"))
              .toList();
      assertEquals(
          List.of(
              "HEAD /v2/acme/other/blobs/" + layer.digest(),
              "POST /v2/acme/other/blobs/uploads/?mount=sha256%3A"
                  + layer.digest().substring(7)
                  + "&from=acme%2Fapp",
              "PUT /v2/acme/other/manifests/1"),
          other);
    }
  }

  @Test
  @DisplayName("a mount the registry turns into an upload session (202) continues in that session")
  void mountFallsBackIntoItsSession() throws Exception {
    MiniRegistry registry = new MiniRegistry();
    Blob layer = blob("not in the source");
    try (StubRegistry stub = new StubRegistry(registry);
        RegistryTransport transport = RegistryTransport.create()) {
      ImageInHand image =
          ImageInHand.withRoot(image(layer).root())
              .blob(layer)
              .origin(new ImageInHand.BlobOrigin(stub.host(), "acme/source"))
              .build();

      client(transport, stub, RequestRunner.once()).push(image, List.of("1"));

      assertEquals(
          List.of("HEAD", "POST", "PUT", "PUT"),
          stub.requests().stream().map(Seen::method).toList());
      assertTrue(stub.requests().get(1).target().contains("mount="));
      assertTrue(stub.requests().get(2).target().startsWith("/v2/acme/app/blobs/uploads/u1?"));
    }
  }

  @Test
  @DisplayName(
      "a manifest stored under another Docker-Content-Digest than its bytes' fails clearly")
  void manifestDigestMismatch() throws Exception {
    MiniRegistry registry = new MiniRegistry();
    String other = Digests.of(new byte[] {1});
    StubRegistry.Script lying =
        (request, before) ->
            request.path().contains("/manifests/")
                ? Answer.of(201, Map.of("Docker-Content-Digest", other))
                : registry.answer(request, before);
    ImageInHand image = image(blob("x"));
    try (StubRegistry stub = new StubRegistry(lying);
        RegistryTransport transport = RegistryTransport.create()) {
      RepositoryClient client = client(transport, stub, RequestRunner.once());

      RegistryContentException mismatch =
          assertThrows(RegistryContentException.class, () -> client.push(image, List.of("1")));

      assertTrue(mismatch.getMessage().contains(other), mismatch.getMessage());
      assertTrue(mismatch.getMessage().contains(image.digest()), mismatch.getMessage());
    }
  }

  @Test
  @DisplayName("a malformed tag is refused before any request")
  void badTag() throws Exception {
    try (StubRegistry stub = new StubRegistry(new MiniRegistry());
        RegistryTransport transport = RegistryTransport.create()) {
      RepositoryClient client = client(transport, stub, RequestRunner.once());

      IllegalArgumentException bad =
          assertThrows(
              IllegalArgumentException.class,
              () -> client.push(image(blob("x")), List.of("ok", "-bad", "also bad")));

      assertTrue(bad.getMessage().endsWith("-bad, also bad"), bad.getMessage());
      assertEquals(List.of(), stub.requests());
    }
  }

  static RepositoryClient client(
      RegistryTransport transport, StubRegistry stub, RequestRunner runner) {
    return transport.repository(
        new RepositoryEndpoint(stub.host(), "acme/app", true), Optional.empty(), runner);
  }

  private static byte[] pattern(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + (i >> 13));
    }
    return bytes;
  }

  /** Checks the PATCHes and closing PUT after the first {@code skip} requests. */
  private static void assertChunks(ChunkingRegistry registry, byte[] bytes, long chunk, int skip) {
    List<ChunkingRegistry.Step> steps = registry.seen.subList(skip, registry.seen.size());
    assertEquals("POST", steps.get(0).request.method());
    long offset = 0;
    int index = 1;
    while (offset < bytes.length) {
      Seen request = steps.get(index).request;
      long length = Math.min(chunk, bytes.length - offset);
      boolean last = offset + length == bytes.length;
      assertEquals(last ? "PUT" : "PATCH", request.method(), request.target());
      assertEquals(
          Optional.of(offset + "-" + (offset + length - 1)), request.header("content-range"));
      assertEquals(
          Digests.of(Arrays.copyOfRange(bytes, (int) offset, (int) (offset + length))),
          "sha256:" + request.bodySha256());
      assertTrue(
          request.target().startsWith("/v2/acme/app/blobs/uploads/c?_state=" + offset),
          "the newest Location: " + request.target());
      offset += length;
      index++;
    }
    assertTrue(steps.get(index - 1).request.target().contains("&digest=sha256%3A"));
  }

  /** A registry that hands out chunked-upload sessions whose Location changes on every PATCH. */
  private static final class ChunkingRegistry implements StubRegistry.Script {

    record Step(Seen request, int status) {}

    final List<Step> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, String> postHeaders;
    boolean refuseWholeBlob;

    ChunkingRegistry(Map<String, String> postHeaders) {
      this.postHeaders = postHeaders;
    }

    @Override
    public Answer answer(Seen request, List<Seen> before) {
      Answer answer = decide(request);
      seen.add(new Step(request, answer.status()));
      return answer;
    }

    private Answer decide(Seen request) {
      String location = "/v2/acme/app/blobs/uploads/c?_state=";
      switch (request.method()) {
        case "HEAD":
          return Answer.of(404);
        case "POST":
          {
            Map<String, String> headers = new java.util.HashMap<>(postHeaders);
            headers.put("Location", location + "0");
            return Answer.of(202, headers);
          }
        case "PATCH":
          {
            long end = Long.parseLong(request.header("content-range").orElseThrow().split("-")[1]);
            return Answer.of(202, Map.of("Location", location + (end + 1), "Range", "0-" + end));
          }
        default:
          if (request.path().contains("/manifests/")) {
            return Answer.of(201);
          }
          if (refuseWholeBlob && request.header("content-range").isEmpty()) {
            return Answer.of(413);
          }
          return Answer.of(201);
      }
    }
  }
}
