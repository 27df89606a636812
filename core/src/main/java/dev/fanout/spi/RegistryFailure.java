package dev.fanout.spi;

import dev.fanout.internal.credentials.HeldSecrets;
import dev.fanout.internal.text.UntrustedText;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A failed push attempt as Fanout understood it: the HTTP status when there was one, the OCI error
 * codes of the body, the response headers, the request that failed, and whether it is worth another
 * attempt. Backends see it in {@link RegistryBackend#refine(RegistryFailure, PushContext)} to apply
 * what they know of their registry: from these fields, never from the message, which is for people.
 *
 * <p>The message never holds a secret of a run in progress, and is one line that can act as no
 * workflow command ({@link UntrustedText#logLine(String)}): both made so here, whatever a backend
 * or a registry put in it.
 */
public final class RegistryFailure {

  private final OptionalInt status;
  private final List<String> errorCodes;
  private final Map<String, String> headers;
  private final Optional<Duration> retryAfter;
  private final boolean retryable;
  private final String message;
  private final Optional<String> method;
  private final Optional<String> path;

  /**
   * A failure of no known request, such as a connection that could not be opened.
   *
   * @param status the HTTP status, when the registry answered
   * @param errorCodes the OCI error codes in the body ({@code TOOMANYREQUESTS}, {@code
   *     TAG_INVALID})
   * @param headers the response headers, names in lower case
   * @param retryAfter the wait the registry asked for, when it asked
   * @param retryable whether another attempt may succeed
   * @param message one line for people
   */
  public RegistryFailure(
      OptionalInt status,
      List<String> errorCodes,
      Map<String, String> headers,
      Optional<Duration> retryAfter,
      boolean retryable,
      String message) {
    this(
        status,
        errorCodes,
        headers,
        retryAfter,
        retryable,
        message,
        Optional.empty(),
        Optional.empty());
  }

  /**
   * A failure of one request.
   *
   * @param status the HTTP status, when the registry answered
   * @param errorCodes the OCI error codes in the body ({@code TOOMANYREQUESTS}, {@code
   *     TAG_INVALID})
   * @param headers the response headers, names in lower case
   * @param retryAfter the wait the registry asked for, when it asked
   * @param retryable whether another attempt may succeed
   * @param message one line for people
   * @param method the request's method ({@code PUT}), when known
   * @param path the request's URL path without its query ({@code /v2/acme/app/manifests/1.0}), when
   *     known
   */
  public RegistryFailure(
      OptionalInt status,
      List<String> errorCodes,
      Map<String, String> headers,
      Optional<Duration> retryAfter,
      boolean retryable,
      String message,
      Optional<String> method,
      Optional<String> path) {
    this.method = Objects.requireNonNull(method, "method");
    this.path = Objects.requireNonNull(path, "path");
    this.status = Objects.requireNonNull(status, "status");
    this.errorCodes = List.copyOf(errorCodes);
    this.headers = Map.copyOf(headers);
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    this.retryable = retryable;
    // Quotes registries (bodies, reason phrases, headers), which may quote a request back: logged
    // and reported, so scrubbed and made inert here.
    this.message =
        UntrustedText.logLine(HeldSecrets.scrub(Objects.requireNonNull(message, "message")));
  }

  /**
   * The HTTP status.
   *
   * @return the status, or empty when there was no answer (refused, reset, timed out)
   */
  public OptionalInt status() {
    return status;
  }

  /**
   * The OCI error codes of the response body.
   *
   * @return the codes, possibly none
   */
  public List<String> errorCodes() {
    return errorCodes;
  }

  /**
   * A response header.
   *
   * @param name the header's name, in any case
   * @return its value, when present
   */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * The wait the registry asked for with {@code Retry-After}.
   *
   * @return the wait, when the registry gave one
   */
  public Optional<Duration> retryAfter() {
    return retryAfter;
  }

  /**
   * Whether another attempt may succeed.
   *
   * @return true for 408, 429, 5xx, resets and timeouts
   */
  public boolean retryable() {
    return retryable;
  }

  /**
   * One line for people.
   *
   * @return the message
   */
  public String message() {
    return message;
  }

  /**
   * The method of the request that failed.
   *
   * @return for example {@code PUT}; empty when no request is known
   */
  public Optional<String> method() {
    return method;
  }

  /**
   * The URL path of the request that failed, without its query.
   *
   * @return for example {@code /v2/acme/app/manifests/1.0}; empty when no request is known
   */
  public Optional<String> path() {
    return path;
  }

  /**
   * The same failure, made final: it is not retried, and {@code message} says why.
   *
   * @param message what the user should know and do
   * @return the refined failure
   */
  public RegistryFailure permanent(String message) {
    return new RegistryFailure(
        status, errorCodes, headers, retryAfter, false, message, method, path);
  }

  @Override
  public String toString() {
    return "RegistryFailure[" + message + (retryable ? ", retryable" : "") + "]";
  }
}
