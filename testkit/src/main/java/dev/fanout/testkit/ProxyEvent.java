package dev.fanout.testkit;

import java.time.Instant;

/**
 * One thing a {@link FaultInjectingProxy} did: a request it forwarded or answered with a fault, a
 * blob upload it cut off, or a connection it closed at once.
 *
 * @param at when the proxy accepted the connection or read the request head, on the proxy's own
 *     clock
 * @param method the request method; empty for {@link Action#CLOSED_CONNECTION}
 * @param path the request path without its query; empty for {@link Action#CLOSED_CONNECTION}
 * @param action what the proxy did
 * @param status the status the client received: the registry's when forwarded, the injected one
 *     when failed, {@link #NO_STATUS} when no response was sent
 */
public record ProxyEvent(Instant at, String method, String path, Action action, int status) {

  /** The {@link #status()} of an event that sent no response. */
  public static final int NO_STATUS = 0;

  /** What the proxy did with a request or connection. */
  public enum Action {
    /** Passed to the registry; the registry's response went back unchanged. */
    FORWARDED,
    /** A manifest upload answered with the status of {@code failManifestUploads}. */
    FAILED_MANIFEST_UPLOAD,
    /** A request picked by the seeded share of {@code failShareOfRequests}. */
    FAILED_SHARE_OF_REQUESTS,
    /** A blob upload whose connection was closed part-way through its body, without an answer. */
    DROPPED_BLOB_UPLOAD,
    /**
     * A connection closed as soon as it was accepted ({@code down()} or {@code closeConnections}).
     */
    CLOSED_CONNECTION
  }

  /** {@return whether the proxy injected a fault here rather than forwarding} */
  public boolean injected() {
    return action != Action.FORWARDED;
  }

  /** {@return whether this was a manifest upload, {@code PUT /v2/<name>/manifests/<reference>}} */
  public boolean isManifestUpload() {
    return RegistryRoutes.isManifestUpload(method, path);
  }

  /**
   * {@return whether this was a step of a blob upload: {@code POST}, {@code PATCH} or {@code PUT}
   * under {@code /v2/<name>/blobs/uploads/}}
   */
  public boolean isBlobUpload() {
    return RegistryRoutes.isBlobUpload(method, path);
  }
}
