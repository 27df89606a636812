package dev.fanout.internal.transport;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A registry (or its token service) answered, but not with what the request needed: the status, the
 * OCI error codes of the body, the headers and which request it was, for the engine to decide
 * whether to retry and for a backend to refine.
 *
 * <p>The message is one line; every piece of registry text in it is neutralised and no credential
 * or token is ever in it.
 */
public final class RegistryResponseException extends IOException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final List<String> errorCodes;
  private final Map<String, String> headers;
  private final String method;
  private final String path;
  private final boolean uploadSessionLost;

  RegistryResponseException(String message, RegistryResponse response, boolean uploadSessionLost) {
    super(message);
    this.status = response.status();
    this.errorCodes = List.copyOf(response.errorCodes());
    this.headers = Map.copyOf(response.headers());
    this.method = response.method();
    this.path = RegistryText.neutralise(response.uri().getRawPath(), List.of());
    this.uploadSessionLost = uploadSessionLost;
  }

  /**
   * The HTTP status.
   *
   * @return for example 401, 404, 429
   */
  public int status() {
    return status;
  }

  /**
   * The OCI error codes of a JSON body, such as {@code BLOB_UPLOAD_UNKNOWN} or {@code
   * TOOMANYREQUESTS}; empty for a body that is not OCI JSON.
   *
   * @return the codes, raw as the registry sent them
   */
  public List<String> errorCodes() {
    return errorCodes;
  }

  /**
   * The response headers.
   *
   * @return names in lower case, the first value of each, raw as the registry sent them
   */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * A response header.
   *
   * @param name its name, in any case
   * @return its first value
   */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * The raw {@code Retry-After} value: delay-seconds or an HTTP date.
   *
   * @return the value, when the registry sent one
   */
  public Optional<String> retryAfter() {
    return header("retry-after");
  }

  /**
   * The request method.
   *
   * @return for example {@code PUT}
   */
  public String method() {
    return method;
  }

  /**
   * The path of the URL that answered, without its query (an upload's {@code _state} stays out).
   *
   * @return for example {@code /v2/acme/app/manifests/1.0}
   */
  public String path() {
    return path;
  }

  /**
   * Whether the registry lost an upload session (404 on the upload URL, 400 {@code
   * BLOB_UPLOAD_INVALID}, 416). The exchange that failed opens a new session when it is run again,
   * so such a failure is worth a retry although its status is a 4xx.
   *
   * @return true for a lost upload session
   */
  public boolean uploadSessionLost() {
    return uploadSessionLost;
  }
}
