package dev.fanout.testkit;

import java.time.Instant;
import java.util.Optional;

/**
 * One thing a {@link FaultInjectingProxy} did: a request it forwarded or answered with a fault, a
 * blob upload it cut off, or a connection it closed at once.
 *
 * @param at when the proxy accepted the connection or read the request head, on the proxy's own
 *     clock
 * @param ended when the proxy knew the outcome, before the client could see any of it: the
 *     registry's response head arrived (or the registry failed), the injected answer was chosen, or
 *     the connection was about to be cut; never before {@code at}. The span from {@code at} to
 *     {@code ended} lies within the time the client spent on the request, so spans of requests that
 *     overlap here overlapped for the client too.
 * @param method the request method; empty for {@link Action#CLOSED_CONNECTION}
 * @param path the request path without its query; empty for {@link Action#CLOSED_CONNECTION}
 * @param action what the proxy did
 * @param status the status the client received: the registry's when forwarded, the injected one
 *     when failed, {@link #NO_STATUS} when no response was sent
 */
public record ProxyEvent(
    Instant at, Instant ended, String method, String path, Action action, int status) {

  /** The {@link #status()} of an event that sent no response. */
  public static final int NO_STATUS = 0;

  /** What the proxy did with a request or connection. */
  public enum Action {
    /** Passed to the registry; the registry's response went back unchanged. */
    FORWARDED,
    /**
     * Passed to the registry; its response went back with the header fields of {@code
     * setResponseHeaders} in place of its own.
     */
    FORWARDED_WITH_HEADERS,
    /** Answered with the response of {@code answer}, without forwarding. */
    SCRIPTED_ANSWER,
    /** A manifest upload answered with the status of {@code failManifestUploads}. */
    FAILED_MANIFEST_UPLOAD,
    /**
     * A request picked by the share of {@code failShareOfRequests}, or any request under {@code
     * failEveryRequest}.
     */
    FAILED_SHARE_OF_REQUESTS,
    /** A request over the rate of {@code limitRate}, answered 429 without forwarding. */
    RATE_LIMITED,
    /** A blob upload whose connection was closed part-way through its body, without an answer. */
    DROPPED_BLOB_UPLOAD,
    /**
     * A connection closed as soon as it was accepted ({@code down()} or {@code closeConnections}).
     */
    CLOSED_CONNECTION
  }

  /**
   * {@return whether the proxy injected a fault here rather than forwarding unchanged: every action
   * but {@link Action#FORWARDED}}
   */
  public boolean injected() {
    return action != Action.FORWARDED;
  }

  /** {@return whether this was a manifest upload, {@code PUT /v2/<name>/manifests/<reference>}} */
  public boolean isManifestUpload() {
    return RegistryRoutes.isManifestUpload(method, path);
  }

  /**
   * The repository a Distribution API request names, such as {@code demo/app} for {@code GET
   * /v2/demo/app/manifests/1.0}.
   *
   * @return the repository; empty for requests about the registry as a whole ({@code GET /v2/}),
   *     for paths outside the API, and for closed connections
   */
  public Optional<String> repository() {
    return RegistryRoutes.repository(path);
  }

  /**
   * {@return whether this was a step of a blob upload: {@code POST}, {@code PATCH} or {@code PUT}
   * under {@code /v2/<name>/blobs/uploads/}}
   */
  public boolean isBlobUpload() {
    return RegistryRoutes.isBlobUpload(method, path);
  }
}
