package dev.fanout.internal;

import dev.fanout.internal.transport.RegistryContentException;
import dev.fanout.internal.transport.RegistryResponseException;
import dev.fanout.spi.RegistryFailure;
import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Decides what a failed request means: the HTTP status, OCI error codes and headers when the
 * registry answered, and whether trying the request again may succeed.
 */
final class FailureClassifier {

  /**
   * Statuses worth another try: request timeout, rate limited, and the server-side errors that
   * usually pass. 501 and 505 are left out: they will not pass. A lost upload session (a 4xx such
   * as 404 on the upload URL or 416) is retried too: the transport's retry opens a new session.
   */
  static final Set<Integer> RETRYABLE_STATUSES = Set.of(408, 429, 500, 502, 503, 504);

  private final Clock clock;

  FailureClassifier(Clock clock) {
    this.clock = clock;
  }

  /**
   * Classifies a failed request.
   *
   * @param failure what the transport threw
   * @return the failure, with a message that holds no secret
   */
  RegistryFailure classify(Throwable failure) {
    Throwable cause = Failures.unwrap(failure);
    if (cause instanceof RegistryResponseException response) {
      int status = response.status();
      Optional<Duration> retryAfter =
          response.retryAfter().flatMap(value -> RetryAfter.parse(value, clock.instant()));
      return new RegistryFailure(
          OptionalInt.of(status),
          response.errorCodes(),
          response.headers(),
          retryAfter,
          RETRYABLE_STATUSES.contains(status) || response.uploadSessionLost(),
          Failures.describe(response),
          Optional.of(response.method()),
          Optional.of(response.path()));
    }
    return new RegistryFailure(
        OptionalInt.empty(),
        List.of(),
        Map.of(),
        Optional.empty(),
        isTransient(cause),
        Failures.describe(cause));
  }

  /**
   * A failure with no answer from the registry that is not worth retrying, such as a host whose
   * breaker is open.
   *
   * @param message what happened
   * @return the failure
   */
  RegistryFailure unanswered(String message) {
    return new RegistryFailure(
        OptionalInt.empty(), List.of(), Map.of(), Optional.empty(), false, message);
  }

  /**
   * Transport failures that may pass: refused (the registry is restarting), reset or dropped
   * mid-upload, timed out. An unknown host, a TLS failure or content that is not what its digest
   * says ({@link RegistryContentException}) will not pass by waiting.
   */
  private static boolean isTransient(Throwable failure) {
    return failure instanceof IOException
        && !(failure instanceof UnknownHostException)
        && !(failure instanceof SSLException)
        && !(failure instanceof RegistryContentException);
  }
}
