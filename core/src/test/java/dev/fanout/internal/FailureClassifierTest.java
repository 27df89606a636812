package dev.fanout.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.RegistryCredential;
import dev.fanout.internal.transport.RegistryTransport;
import dev.fanout.internal.transport.RepositoryClient;
import dev.fanout.internal.transport.RepositoryEndpoint;
import dev.fanout.internal.transport.RequestRunner;
import dev.fanout.spi.RegistryFailure;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Classifies the exceptions the transport really throws: each case fetches a manifest from a
 * loopback server that answers every request the same way.
 */
@DisplayName("Classifying a failed request")
class FailureClassifierTest {

  /**
   * TCP port 1 is privileged and unused on build machines; an ephemeral port freed a moment ago
   * could be taken by another test's server before the request connects.
   */
  private static final String NOTHING_LISTENS = "127.0.0.1:1";

  private static final RegistryTransport TRANSPORT = RegistryTransport.create();

  private final FailureClassifier classifier = new FailureClassifier(Clock.systemUTC());

  @Test
  @DisplayName("a 429 with Retry-After is retryable, with the wait and the OCI error code")
  void tooManyRequests() throws Exception {
    RegistryFailure failure =
        classify(
            429,
            Map.of("Retry-After", "3"),
            "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}");
    assertEquals(OptionalInt.of(429), failure.status());
    assertTrue(failure.retryable());
    assertEquals(Duration.ofSeconds(3), failure.retryAfter().orElseThrow());
    assertEquals(List.of("TOOMANYREQUESTS"), failure.errorCodes());
    assertTrue(failure.message().contains("429"), failure.message());
  }

  @ParameterizedTest(name = "HTTP {0} is retryable")
  @ValueSource(ints = {408, 500, 502, 503, 504})
  @DisplayName("server errors and timeouts are retryable")
  void retryableStatuses(int status) throws Exception {
    RegistryFailure failure = classify(status, Map.of(), "");
    assertEquals(OptionalInt.of(status), failure.status());
    assertTrue(failure.retryable(), failure::toString);
  }

  @ParameterizedTest(name = "HTTP {0} is not retried")
  @ValueSource(ints = {400, 403, 404, 501})
  @DisplayName("client errors are not retried")
  void permanentStatuses(int status) throws Exception {
    RegistryFailure failure = classify(status, Map.of(), "{\"errors\":[{\"code\":\"DENIED\"}]}");
    assertEquals(OptionalInt.of(status), failure.status());
    assertFalse(failure.retryable(), failure::toString);
  }

  @Test
  @DisplayName("a 401 that outlives the transport's own retry is final and names the host")
  void unauthorized() throws Exception {
    try (FixedAnswerServer server =
        new FixedAnswerServer(401, Map.of("WWW-Authenticate", "Basic realm=\"test\""), "")) {
      RegistryFailure failure = classifier.classify(fetch(server.host(), true));
      assertEquals(OptionalInt.of(401), failure.status(), failure::message);
      assertFalse(failure.retryable());
      assertTrue(failure.message().contains(server.host()), failure.message());
      assertFalse(failure.message().contains("s3cret"), failure.message());
    }
  }

  @Test
  @DisplayName("a refused connection is retryable and has no status")
  void refused() throws Exception {
    RegistryFailure failure = classifier.classify(fetch(NOTHING_LISTENS, false));
    assertTrue(failure.retryable(), failure::toString);
    assertTrue(failure.status().isEmpty());
    assertTrue(failure.message().startsWith("cannot connect to the registry"), failure.message());
  }

  @Test
  @DisplayName("a manifest that is not what its digest says is not retried")
  void contentMismatch() throws Exception {
    try (FixedAnswerServer server =
        new FixedAnswerServer(
            200,
            Map.of("Content-Type", "application/vnd.oci.image.manifest.v1+json"),
            "{\"schemaVersion\":2}")) {
      Exception thrown =
          assertThrows(
              Exception.class,
              () -> client(server.host(), false).fetchManifest("sha256:" + "0".repeat(64)));
      RegistryFailure failure = classifier.classify(thrown);
      assertFalse(failure.retryable(), failure::toString);
    }
  }

  private RegistryFailure classify(int status, Map<String, String> headers, String body)
      throws Exception {
    try (FixedAnswerServer server = new FixedAnswerServer(status, headers, body)) {
      return classifier.classify(fetch(server.host(), false));
    }
  }

  private static Exception fetch(String host, boolean withCredential) {
    return assertThrows(Exception.class, () -> client(host, withCredential).fetchManifest("1"));
  }

  private static RepositoryClient client(
      String host, boolean withCredential) {
    return TRANSPORT.repository(
        new RepositoryEndpoint(host, "demo/app", true),
        withCredential
            ? Optional.of(RegistryCredential.of("u", "s3cret"))
            : Optional.empty(),
        RequestRunner.once());
  }

}
