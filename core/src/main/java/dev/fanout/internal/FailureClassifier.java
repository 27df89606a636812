package dev.fanout.internal;

import com.google.api.client.http.HttpHeaders;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.http.ResponseException;
import dev.fanout.spi.RegistryFailure;
import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Decides what a failed push attempt means, from the exception chain Jib produced: the HTTP status
 * and headers when the registry answered, and whether another attempt may succeed.
 *
 * <p>Jib wraps registry answers as {@code ExecutionException} → {@link ResponseException} (status,
 * headers, body), 401/403 as {@link RegistryUnauthorizedException}, and transport failures as the
 * {@link IOException} that happened (refused, reset, timed out). It retries none of them itself.
 */
final class FailureClassifier {

  /**
   * Statuses worth another attempt: request timeout, rate limited, and the server-side errors that
   * usually pass. 501 and 505 are left out: they will not pass.
   */
  static final Set<Integer> RETRYABLE_STATUSES = Set.of(408, 429, 500, 502, 503, 504);

  /** OCI error codes in a JSON body: {@code {"errors":[{"code":"TOOMANYREQUESTS",...}]}}. */
  private static final Pattern ERROR_CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Z_]+)\"");

  private final Clock clock;

  FailureClassifier(Clock clock) {
    this.clock = clock;
  }

  RegistryFailure classify(Throwable failure) {
    String message = Failures.describe(failure);
    Optional<RegistryUnauthorizedException> unauthorized =
        find(failure, RegistryUnauthorizedException.class);
    if (unauthorized.isPresent()) {
      int status = unauthorized.get().getHttpResponseException().getStatusCode();
      return new RegistryFailure(
          OptionalInt.of(status), List.of(), Map.of(), Optional.empty(), false, message);
    }
    Optional<ResponseException> response = find(failure, ResponseException.class);
    if (response.isPresent()) {
      return fromResponse(response.get(), message);
    }
    boolean retryable = isTransient(failure);
    return new RegistryFailure(
        OptionalInt.empty(), List.of(), Map.of(), Optional.empty(), retryable, message);
  }

  private RegistryFailure fromResponse(ResponseException response, String message) {
    int status = response.getStatusCode();
    Map<String, String> headers = headers(response.getHeaders());
    Optional<Duration> retryAfter =
        Optional.ofNullable(headers.get("retry-after"))
            .flatMap(value -> RetryAfter.parse(value, clock.instant()));
    return new RegistryFailure(
        OptionalInt.of(status),
        errorCodes(response.getContent()),
        headers,
        retryAfter,
        RETRYABLE_STATUSES.contains(status),
        message);
  }

  /**
   * Transport failures that may pass: refused (the registry is restarting), reset or dropped
   * mid-upload, timed out. An unknown host or a TLS failure will not pass by waiting.
   */
  private static boolean isTransient(Throwable failure) {
    Optional<IOException> io = find(failure, IOException.class);
    return io.isPresent()
        && find(failure, UnknownHostException.class).isEmpty()
        && find(failure, SSLException.class).isEmpty();
  }

  private static Map<String, String> headers(HttpHeaders headers) {
    Map<String, String> flat = new HashMap<>();
    if (headers != null) {
      headers.forEach(
          (name, value) -> {
            Object first = value instanceof List<?> list && !list.isEmpty() ? list.get(0) : value;
            if (first != null) {
              flat.put(name.toLowerCase(Locale.ROOT), first.toString());
            }
          });
    }
    return flat;
  }

  private static List<String> errorCodes(String body) {
    List<String> codes = new ArrayList<>();
    if (body != null) {
      Matcher matcher = ERROR_CODE.matcher(body);
      while (matcher.find()) {
        codes.add(matcher.group(1));
      }
    }
    return codes;
  }

  private static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return Optional.of(type.cast(cause));
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return Optional.empty();
  }
}
