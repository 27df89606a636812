package dev.fanout.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's line on failures without an answer: timeouts are retried, unknown hosts and TLS
 * failures are not, since waiting does not fix them. The exceptions are the ones Java's HttpClient
 * throws for each case.
 */
@DisplayName("Failures without an answer")
class TransientFailuresTest {

  private final FailureClassifier classifier = new FailureClassifier(Clock.systemUTC());

  @Test
  @DisplayName("a request or connection that timed out is retried")
  void timeoutsAreRetried() {
    assertTrue(classifier.classify(new HttpTimeoutException("request timed out")).retryable());
    assertTrue(
        classifier.classify(new HttpConnectTimeoutException("HTTP connect timed out")).retryable());
    assertTrue(classifier.classify(new SocketTimeoutException("Read timed out")).retryable());
  }

  @Test
  @DisplayName("an unknown host is not retried")
  void unknownHostIsFinal() {
    assertFalse(classifier.classify(new UnknownHostException("registry.invalid")).retryable());
  }

  @Test
  @DisplayName("a TLS failure is not retried")
  void tlsFailureIsFinal() {
    assertFalse(
        classifier
            .classify(new SSLHandshakeException("PKIX path building failed"))
            .retryable());
  }
}
