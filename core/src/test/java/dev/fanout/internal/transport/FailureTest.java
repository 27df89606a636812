package dev.fanout.internal.transport;

import static dev.fanout.internal.transport.Fixtures.blob;
import static dev.fanout.internal.transport.Fixtures.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.internal.image.Blob;
import dev.fanout.internal.image.Digests;
import dev.fanout.internal.image.MediaTypes;
import dev.fanout.internal.transport.StubRegistry.Answer;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailureTest {

  @Test
  @DisplayName(
      "hostile registry text (line breaks, ::warning::, ##[) is neutralised in the message")
  void hostileText() throws Exception {
    MiniRegistry registry = new MiniRegistry();
    StubRegistry.Script hostile =
        (request, before) ->
            request.path().contains("/manifests/")
                ? new Answer(
                    400,
                    Map.of("Content-Type", "application/json"),
                    "{\"errors\":[{\"code\":\"MANIFEST_INVALID\",\"message\":"
                        + "\"bad\\r\\n::warning::pwned\\u2028##[error]owned\\u0085end\"}]}")
                : registry.answer(request, before);
    try (StubRegistry stub = new StubRegistry(hostile);
        RegistryTransport transport = RegistryTransport.create()) {
      RegistryResponseException failure =
          assertThrows(
              RegistryResponseException.class,
              () ->
                  PushFlowTest.client(transport, stub, RequestRunner.once())
                      .push(image(blob("x")), List.of("1")));

      assertEquals(
          stub.host()
              + " answered 400 MANIFEST_INVALID to PUT /v2/acme/app/manifests/1:"
              + " bad : :warning: :pwned # #[error]owned end",
          failure.getMessage());
      assertEquals(400, failure.status());
      assertEquals(List.of("MANIFEST_INVALID"), failure.errorCodes());
      assertEquals("PUT", failure.method());
      assertEquals("/v2/acme/app/manifests/1", failure.path());
    }
  }

  @Test
  @DisplayName("an HTML 429 from nginx keeps its status and raw Retry-After, and no codes")
  void htmlTooManyRequests() throws Exception {
    try (StubRegistry stub =
            new StubRegistry(
                (request, before) ->
                    new Answer(
                        429,
                        Map.of("Content-Type", "text/html", "Retry-After", "7"),
                        "<html>\r\n"
                            + "<head><title>429 Too Many Requests</title></head>\r\n"
                            + "<body></body></html>"));
        RegistryTransport transport = RegistryTransport.create()) {
      RegistryResponseException failure =
          assertThrows(
              RegistryResponseException.class,
              () -> PushFlowTest.client(transport, stub, RequestRunner.once()).fetchManifest("1"));

      assertEquals(429, failure.status());
      assertEquals(List.of(), failure.errorCodes());
      assertEquals(Optional.of("7"), failure.retryAfter());
      assertEquals(Optional.of("text/html"), failure.header("Content-Type"));
      assertEquals(
          stub.host()
              + " answered 429 to GET /v2/acme/app/manifests/1: <html> <head>"
              + "<title>429 Too Many Requests</title></head> <body></body></html>",
          failure.getMessage());
    }
  }

  @Test
  @DisplayName("Docker Hub's plain-text 429 is read as text")
  void plainTextTooManyRequests() throws Exception {
    try (StubRegistry stub =
            new StubRegistry(
                (request, before) ->
                    new Answer(
                        429,
                        Map.of("Content-Type", "text/plain", "Retry-After", "60"),
                        "Too Many Requests (HAP429).\n"));
        RegistryTransport transport = RegistryTransport.create()) {
      RegistryResponseException failure =
          assertThrows(
              RegistryResponseException.class,
              () -> PushFlowTest.client(transport, stub, RequestRunner.once()).fetchManifest("1"));

      assertTrue(
          failure.getMessage().endsWith(": Too Many Requests (HAP429)."), failure.getMessage());
      assertEquals(Optional.of("60"), failure.retryAfter());
    }
  }

  @Test
  @DisplayName("a refused connection reaches the caller as the JDK's ConnectException")
  void connectionRefused() {
    try (RegistryTransport transport = RegistryTransport.create()) {
      RepositoryClient client =
          transport.repository(
              new RepositoryEndpoint("127.0.0.1:1", "acme/app", true),
              Optional.empty(),
              RequestRunner.once());

      assertThrows(ConnectException.class, () -> client.hasBlob(blob("x").digest()));
    }
  }

  @Test
  @DisplayName("a manifest fetched by digest that hashes otherwise is refused")
  void fetchedManifestMismatch() throws Exception {
    try (StubRegistry stub =
            new StubRegistry(
                (request, before) ->
                    new Answer(
                        200,
                        Map.of("Content-Type", MediaTypes.OCI_MANIFEST + "; charset=utf-8"),
                        "{\"a\":1}"));
        RegistryTransport transport = RegistryTransport.create()) {
      RepositoryClient client = PushFlowTest.client(transport, stub, RequestRunner.once());
      String asked = Digests.of(new byte[] {2});

      RegistryContentException mismatch =
          assertThrows(RegistryContentException.class, () -> client.fetchManifest(asked));

      assertTrue(
          mismatch.getMessage().contains(Digests.of("{\"a\":1}".getBytes())),
          mismatch.getMessage());
      assertEquals(MediaTypes.OCI_MANIFEST, client.fetchManifest("tag").mediaType());
      assertEquals(
          "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
              + "application/vnd.docker.distribution.manifest.list.v2+json, "
              + "application/vnd.docker.distribution.manifest.v2+json",
          stub.requests().get(0).header("accept").orElseThrow());
    }
  }

  @Test
  @DisplayName("a blob served with other bytes is refused and its file removed")
  void fetchedBlobMismatch(@TempDir Path folder) throws Exception {
    Blob expected = blob("the right bytes, longer");
    try (StubRegistry stub =
            new StubRegistry((request, before) -> new Answer(200, Map.of(), "the wrong bytes"));
        RegistryTransport transport = RegistryTransport.create()) {
      RepositoryClient client = PushFlowTest.client(transport, stub, RequestRunner.once());
      Path into = folder.resolve("blob");

      RegistryContentException sizeWrong =
          assertThrows(
              RegistryContentException.class,
              () -> client.fetchBlob(expected.digest(), expected.size(), into));
      RegistryContentException digestWrong =
          assertThrows(
              RegistryContentException.class,
              () -> client.fetchBlob(expected.digest(), "the wrong bytes".length(), into));

      assertTrue(
          sizeWrong.getMessage().contains("expected " + expected.size()), sizeWrong.getMessage());
      assertTrue(digestWrong.getMessage().contains("hash to"), digestWrong.getMessage());
      assertFalse(Files.exists(into));
    }
  }
}
