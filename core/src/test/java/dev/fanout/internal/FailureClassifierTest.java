package dev.fanout.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import dev.fanout.spi.RegistryFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Classifies the exception chains Jib really throws: each case runs Jib's containerize against a
 * loopback server that answers every request the same way.
 */
@DisplayName("Classifying Jib's failures")
class FailureClassifierTest {

  /**
   * TCP port 1 is privileged and unused on build machines; an ephemeral port freed a moment ago
   * could be taken by another test's server before Jib connects.
   */
  private static final String NOTHING_LISTENS = "127.0.0.1:1";

  private final FailureClassifier classifier = new FailureClassifier(Clock.systemUTC());

  @TempDir Path cache;

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
    assertTrue(failure.message().startsWith("HTTP 429"), failure.message());
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
  @ValueSource(ints = {400, 404, 501})
  @DisplayName("client errors are not retried")
  void permanentStatuses(int status) throws Exception {
    RegistryFailure failure = classify(status, Map.of(), "{\"errors\":[{\"code\":\"DENIED\"}]}");
    assertFalse(failure.retryable(), failure::toString);
  }

  @Test
  @DisplayName("a 403 is an authentication failure that is not retried")
  void forbidden() throws Exception {
    RegistryFailure failure = classify(403, Map.of(), "{\"errors\":[{\"code\":\"DENIED\"}]}");
    assertEquals(OptionalInt.of(403), failure.status());
    assertFalse(failure.retryable());
  }

  @Test
  @DisplayName("a 401 is recognised as such, for one re-authentication")
  void unauthorized() throws Exception {
    String previous = System.setProperty(JibPush.SEND_CREDENTIALS_OVER_HTTP, "true");
    try {
      RegistryFailure failure =
          classify(401, Map.of("WWW-Authenticate", "Basic realm=\"test\""), "");
      assertEquals(OptionalInt.of(401), failure.status(), failure::message);
      assertFalse(failure.retryable());
      assertTrue(failure.message().startsWith("authentication failed for"), failure.message());
    } finally {
      if (previous == null) {
        System.clearProperty(JibPush.SEND_CREDENTIALS_OVER_HTTP);
      } else {
        System.setProperty(JibPush.SEND_CREDENTIALS_OVER_HTTP, previous);
      }
    }
  }

  @Test
  @DisplayName("credentials withheld over plain HTTP are a permanent failure that says so")
  void credentialsNotSent() throws Exception {
    RegistryFailure failure =
        classify(401, Map.of("WWW-Authenticate", "Basic realm=\"test\""), "");
    assertFalse(failure.retryable());
    assertTrue(failure.message().contains("not sent over plain HTTP"), failure.message());
  }

  @Test
  @DisplayName("a refused connection is retryable and has no status")
  void refused() throws Exception {
    Exception thrown = push(NOTHING_LISTENS);
    RegistryFailure failure = classifier.classify(thrown);
    assertTrue(failure.retryable(), failure::toString);
    assertTrue(failure.status().isEmpty());
    assertTrue(failure.message().startsWith("cannot connect to the registry"), failure.message());
  }

  private RegistryFailure classify(int status, Map<String, String> headers, String body)
      throws Exception {
    try (FixedAnswerServer server = new FixedAnswerServer(status, headers, body)) {
      return classifier.classify(push(server.host()));
    }
  }

  private Exception push(String host) throws IOException {
    return assertThrows(
        Exception.class,
        () ->
            Jib.fromScratch()
                .containerize(
                    Containerizer.to(
                            RegistryImage.named(host + "/demo/app:1").addCredential("u", "p"))
                        .setAllowInsecureRegistries(true)
                        .setApplicationLayersCache(cache)
                        .setBaseImageLayersCache(cache)));
  }
}
