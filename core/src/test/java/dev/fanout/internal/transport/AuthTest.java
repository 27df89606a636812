package dev.fanout.internal.transport;

import static dev.fanout.internal.transport.Fixtures.BASIC;
import static dev.fanout.internal.transport.Fixtures.SECRET;
import static dev.fanout.internal.transport.Fixtures.blob;
import static dev.fanout.internal.transport.Fixtures.credential;
import static dev.fanout.internal.transport.Fixtures.image;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.RegistryCredential;
import dev.fanout.internal.image.Blob;
import dev.fanout.internal.transport.StubRegistry.Answer;
import dev.fanout.internal.transport.StubRegistry.Seen;
import dev.fanout.testing.MovableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuthTest {

  private static final String UNAUTHORIZED_BODY =
      "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}";

  @Test
  @DisplayName("a Basic challenge is answered once; every later request carries Basic at once")
  void basic() throws Exception {
    try (StubRegistry stub = new StubRegistry(Fixtures.basicAuth(new MiniRegistry()));
        RegistryTransport transport = RegistryTransport.create()) {
      client(transport, stub.host(), credential()).push(image(blob("a"), blob("b")), List.of("1"));

      List<Seen> seen = stub.requests();
      assertEquals(Optional.empty(), seen.get(0).header("authorization"));
      assertTrue(
          seen.subList(1, seen.size()).stream()
              .allMatch(request -> request.header("authorization").equals(Optional.of(BASIC))));
      assertEquals(8, seen.size(), "one 401, then HEAD, POST, PUT per blob and the manifest");
    }
  }

  @ParameterizedTest(name = "token field {0}")
  @ValueSource(strings = {"token", "access_token"})
  @DisplayName("one Bearer token, asked for with service and scope, serves every request of a push")
  void bearerTokenReused(String field) throws Exception {
    try (StubRegistry tokens = tokenService(field, new AtomicInteger());
        StubRegistry stub =
            new StubRegistry(bearer(tokens, Optional.of("tok-1"), new MiniRegistry()));
        RegistryTransport transport = RegistryTransport.create()) {
      client(transport, stub.host(), credential())
          .push(image(blob("a"), blob("b"), blob("c")), List.of("1", "2"));

      assertEquals(1, tokens.requests().size());
      Seen asked = tokens.requests().get(0);
      assertEquals(
          "/token?service=registry.test&scope=repository%3Aacme%2Fapp%3Apull%2Cpush",
          asked.target());
      assertEquals(Optional.of(BASIC), asked.header("authorization"));
      assertEquals(
          1,
          stub.requests().stream()
              .filter(request -> request.header("authorization").isEmpty())
              .count());
    }
  }

  @Test
  @DisplayName("a refused token is refreshed once and the request sent again")
  void refreshOnce() throws Exception {
    AtomicInteger issued = new AtomicInteger();
    try (StubRegistry tokens = tokenService("token", issued);
        StubRegistry stub =
            new StubRegistry(
                (request, before) -> {
                  Optional<String> auth = request.header("authorization");
                  boolean tok1Used =
                      before.stream()
                          .anyMatch(
                              seen ->
                                  seen.header("authorization").equals(Optional.of("Bearer tok-1")));
                  boolean accepted =
                      auth.equals(Optional.of("Bearer tok-2"))
                          || (auth.equals(Optional.of("Bearer tok-1")) && !tok1Used);
                  return accepted
                      ? Answer.of(404)
                      : new Answer(
                          401, Map.of("WWW-Authenticate", challenge(tokens)), UNAUTHORIZED_BODY);
                });
        RegistryTransport transport = RegistryTransport.create()) {
      RepositoryClient client = client(transport, stub.host(), credential());
      assertFalse(client.hasBlob(blob("a").digest()));
      assertFalse(client.hasBlob(blob("b").digest()));

      assertEquals(2, tokens.requests().size());
      assertEquals(
          List.of("", "Bearer tok-1", "Bearer tok-1", "Bearer tok-2"),
          stub.requests().stream().map(r -> r.header("authorization").orElse("")).toList());
    }
  }

  @Test
  @DisplayName(
      "a 401 after the refresh fails: status 401, host and user named, no secret, no token")
  void refreshThenFail() throws Exception {
    AtomicInteger issued = new AtomicInteger();
    try (StubRegistry tokens = tokenService("token", issued);
        StubRegistry stub =
            new StubRegistry(
                (request, before) ->
                    request.method().equals("HEAD")
                            && request.header("authorization").equals(Optional.of("Bearer tok-1"))
                        ? Answer.of(404)
                        : new Answer(
                            401,
                            Map.of("WWW-Authenticate", challenge(tokens)),
                            UNAUTHORIZED_BODY));
        RegistryTransport transport = RegistryTransport.create()) {
      RepositoryClient client = client(transport, stub.host(), credential());
      client.hasBlob(blob("a").digest());

      RegistryResponseException refused =
          assertThrows(RegistryResponseException.class, () -> client.fetchManifest("latest"));

      assertEquals(401, refused.status());
      assertEquals(List.of("UNAUTHORIZED"), refused.errorCodes());
      assertEquals(
          stub.host() + " refused the credential of user 'ci' (401 UNAUTHORIZED)",
          refused.getMessage());
      assertEquals(2, tokens.requests().size(), "one for the HEAD, reused by the GET, one refresh");
      assertEquals(
          List.of("", "Bearer tok-1", "Bearer tok-1", "Bearer tok-2"),
          stub.requests().stream().map(r -> r.header("authorization").orElse("")).toList());
      assertFalse(refused.getMessage().contains("tok-"));
    }
  }

  @Test
  @DisplayName(
      "a realm over plain HTTP that is not a literal loopback address never sees the credential")
  void plainHttpRealmElsewhereGetsNoCredential() throws Exception {
    AtomicInteger issued = new AtomicInteger();
    try (StubRegistry tokens = tokenService("token", issued);
        StubRegistry stub =
            new StubRegistry(
                (request, before) ->
                    request.header("authorization").isPresent()
                        ? new Answer(401, Map.of(), UNAUTHORIZED_BODY)
                        : new Answer(
                            401,
                            Map.of(
                                "WWW-Authenticate",
                                // IPv4-mapped 127.0.0.1: it reaches this machine, but it is not one
                                // of the
                                // literal loopback forms EndpointSafety accepts, like a name only
                                // DNS knows.
                                "Bearer realm=\"http://[::ffff:127.0.0.1]:"
                                    + tokens.port()
                                    + "/token\",service=\"registry.test\""),
                            UNAUTHORIZED_BODY));
        RegistryTransport transport = RegistryTransport.create()) {
      RepositoryClient client = client(transport, stub.host(), credential());

      RegistryResponseException refused =
          assertThrows(RegistryResponseException.class, () -> client.fetchManifest("1"));

      assertEquals(1, tokens.requests().size());
      assertEquals(Optional.empty(), tokens.requests().get(0).header("authorization"));
      assertTrue(
          refused.getMessage().contains("was not sent to its token service"), refused.getMessage());
      assertFalse(refused.getMessage().contains(SECRET));
    }
  }

  @Test
  @DisplayName("a blob redirect to another host loses Authorization; one on the same host keeps it")
  void redirectDropsAuthorizationOffHost(@TempDir Path folder) throws Exception {
    byte[] bytes = "blob served from storage".getBytes(StandardCharsets.UTF_8);
    Blob blob = blob(bytes);
    try (StubRegistry storage =
            new StubRegistry(
                (request, before) ->
                    new Answer(200, Map.of(), new String(bytes, StandardCharsets.UTF_8)));
        StubRegistry stub =
            new StubRegistry(
                (request, before) -> {
                  if (!request.header("authorization").equals(Optional.of(BASIC))) {
                    return new Answer(401, Map.of("WWW-Authenticate", "Basic realm=\"r\""), "");
                  }
                  return request.path().startsWith("/v2/acme/app/blobs/")
                      ? Answer.of(307, Map.of("Location", "/storage/" + blob.digest()))
                      : Answer.of(
                          302,
                          Map.of(
                              "Location",
                              "http://localhost:"
                                  + storage.port()
                                  + "/bucket/object?X-Signature=abc"));
                });
        RegistryTransport transport = RegistryTransport.create()) {
      Path into = folder.resolve("blob");

      client(transport, stub.host(), credential()).fetchBlob(blob.digest(), blob.size(), into);

      assertArrayEquals(bytes, Files.readAllBytes(into));
      assertEquals(
          List.of(
              "/v2/acme/app/blobs/" + blob.digest(),
              "/v2/acme/app/blobs/" + blob.digest(),
              "/storage/" + blob.digest()),
          stub.requests().stream().map(Seen::target).toList());
      assertEquals(Optional.of(BASIC), stub.requests().get(2).header("authorization"));
      assertEquals("/bucket/object?X-Signature=abc", storage.requests().get(0).target());
      assertEquals(Optional.empty(), storage.requests().get(0).header("authorization"));
    }
  }

  @Test
  @DisplayName("an upload Location on another host gets the blob without the registry's Authorization")
  void uploadLocationElsewhereGetsNoAuthorization() throws Exception {
    Blob layer = blob("layer for storage");
    try (StubRegistry storage = new StubRegistry((request, before) -> Answer.of(201));
        StubRegistry stub =
            new StubRegistry(
                (request, before) -> {
                  if (!request.header("authorization").equals(Optional.of(BASIC))) {
                    return new Answer(401, Map.of("WWW-Authenticate", "Basic realm=\"r\""), "");
                  }
                  if (request.method().equals("POST")) {
                    return Answer.of(
                        202,
                        Map.of(
                            "Location",
                            "http://localhost:" + storage.port() + "/upload/1?_state=x"));
                  }
                  return request.method().equals("HEAD") ? Answer.of(404) : Answer.of(201);
                });
        RegistryTransport transport = RegistryTransport.create()) {
      client(transport, stub.host(), credential()).push(image(layer), List.of("1"));

      Seen put = storage.requests().get(0);
      assertEquals(
          "/upload/1?_state=x&digest=sha256%3A" + layer.digest().substring(7), put.target());
      assertEquals(Optional.empty(), put.header("authorization"));
      assertEquals(layer.size(), put.bodyLength());
    }
  }

  @Test
  @DisplayName(
      "a credential for a plain-HTTP host that is not this machine is refused before any request")
  void credentialOverPlainHttpRefused() {
    try (RegistryTransport transport = RegistryTransport.create()) {
      IllegalArgumentException refused =
          assertThrows(
              IllegalArgumentException.class,
              () -> client(transport, "127.evil.example:5000", credential()));

      assertTrue(refused.getMessage().contains("127.evil.example:5000"), refused.getMessage());
      assertFalse(refused.getMessage().contains(SECRET));
    }
  }

  @Test
  @DisplayName("an anonymous pull from a Bearer registry asks for a token without a credential")
  void anonymousToken() throws Exception {
    try (StubRegistry tokens = tokenService("access_token", new AtomicInteger());
        StubRegistry stub =
            new StubRegistry(bearer(tokens, Optional.of("tok-1"), new MiniRegistry()));
        RegistryTransport transport = RegistryTransport.create()) {
      assertFalse(client(transport, stub.host(), Optional.empty()).hasBlob(blob("a").digest()));

      assertEquals(Optional.empty(), tokens.requests().get(0).header("authorization"));
      assertTrue(
          tokens.requests().get(0).target().endsWith("scope=repository%3Aacme%2Fapp%3Apull"));
    }
  }

  @ParameterizedTest(name = "expires_in {0}")
  @CsvSource({"300, 289, 291", "'', 49, 51", "5, 49, 51"})
  @DisplayName("a token is reused until expires_in (60 s when absent or shorter) minus 10 s")
  void tokenExpiry(String expiresIn, long stillValid, long expired) throws Exception {
    AtomicInteger issued = new AtomicInteger();
    String lifetime = expiresIn.isEmpty() ? "" : ",\"expires_in\":" + expiresIn;
    MovableClock clock = new MovableClock(Instant.parse("2026-12-05T09:00:00Z"));
    try (StubRegistry tokens =
            new StubRegistry(
                (request, before) ->
                    new Answer(
                        200,
                        Map.of(),
                        "{\"token\":\"tok-" + issued.incrementAndGet() + "\"" + lifetime + "}"));
        StubRegistry stub =
            new StubRegistry(
                (request, before) ->
                    request.header("authorization").orElse("").startsWith("Bearer tok-")
                        ? Answer.of(404)
                        : new Answer(
                            401, Map.of("WWW-Authenticate", challenge(tokens)), UNAUTHORIZED_BODY));
        RegistryTransport transport =
            RegistryTransport.create(Duration.ofSeconds(5), Duration.ofSeconds(30), clock)) {
      RepositoryClient client = client(transport, stub.host(), credential());
      String digest = blob("a").digest();

      client.hasBlob(digest);
      clock.advance(Duration.ofSeconds(stillValid));
      client.hasBlob(digest);
      assertEquals(1, tokens.requests().size());
      clock.advance(Duration.ofSeconds(expired - stillValid));
      client.hasBlob(digest);
      assertEquals(2, tokens.requests().size());
    }
  }

  @Test
  @DisplayName("a mount asks for push on the target and pull on the source repository")
  void mountScopes() throws Exception {
    MiniRegistry registry = new MiniRegistry();
    Blob layer = blob("shared");
    try (StubRegistry tokens = tokenService("token", new AtomicInteger());
        StubRegistry stub =
            new StubRegistry(
                (request, before) ->
                    request.header("authorization").orElse("").startsWith("Bearer tok-")
                        ? registry.answer(request, before)
                        : new Answer(
                            401, Map.of("WWW-Authenticate", challenge(tokens)), UNAUTHORIZED_BODY));
        RegistryTransport transport = RegistryTransport.create()) {
      client(transport, stub.host(), credential()).push(image(layer), List.of("1"));
      transport
          .repository(
              new RepositoryEndpoint(stub.host(), "acme/other", true),
              credential(),
              RequestRunner.once())
          .push(image(layer), List.of("1"));

      assertEquals(
          List.of(
              "/token?service=registry.test&scope=repository%3Aacme%2Fapp%3Apull%2Cpush",
              "/token?service=registry.test&scope=repository%3Aacme%2Fother%3Apull%2Cpush",
              "/token?service=registry.test&scope=repository%3Aacme%2Fother%3Apull%2Cpush"
                  + "&scope=repository%3Aacme%2Fapp%3Apull"),
          tokens.requests().stream().map(Seen::target).toList());
      assertTrue(registry.blobs.contains("acme/other " + layer.digest()));
    }
  }

  private static RepositoryClient client(
      RegistryTransport transport, String host, Optional<RegistryCredential> credential) {
    return transport.repository(
        new RepositoryEndpoint(host, "acme/app", true), credential, RequestRunner.once());
  }

  /** A token service issuing tok-1, tok-2, ... in the given JSON field. */
  private static StubRegistry tokenService(String field, AtomicInteger issued) throws Exception {
    return new StubRegistry(
        (request, before) ->
            new Answer(
                200,
                Map.of("Content-Type", "application/json"),
                "{\"" + field + "\":\"tok-" + issued.incrementAndGet() + "\",\"expires_in\":300}"));
  }

  private static String challenge(StubRegistry tokens) {
    return "Bearer realm=\"http://127.0.0.1:"
        + tokens.port()
        + "/token\",service=\"registry.test\"";
  }

  /** A registry that challenges for Bearer and accepts only the token given. */
  private static StubRegistry.Script bearer(
      StubRegistry tokens, Optional<String> accepted, StubRegistry.Script inner) {
    String challenge = challenge(tokens);
    return (request, before) ->
        request.header("authorization").equals(accepted.map(token -> "Bearer " + token))
            ? inner.answer(request, before)
            : new Answer(401, Map.of("WWW-Authenticate", challenge), UNAUTHORIZED_BODY);
  }
}
