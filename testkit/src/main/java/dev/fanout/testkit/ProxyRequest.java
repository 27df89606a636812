package dev.fanout.testkit;

import java.util.Objects;
import java.util.Optional;

/**
 * A request as the rules of a {@link FaultInjectingProxy} see it, before deciding its fate.
 *
 * @param method the request method, such as {@code PUT}
 * @param path the request path without its query, such as {@code /v2/demo/app/manifests/1.0}
 */
public record ProxyRequest(String method, String path) {

  /**
   * Checks the fields.
   *
   * @param method the request method
   * @param path the request path without its query
   */
  public ProxyRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
  }

  /**
   * Whether this is a manifest upload, {@code PUT /v2/<name>/manifests/<reference>}.
   *
   * @return true for a manifest upload
   */
  public boolean isManifestUpload() {
    return RegistryRoutes.isManifestUpload(method, path);
  }

  /**
   * Whether this is a step of a blob upload: {@code POST}, {@code PATCH} or {@code PUT} under
   * {@code /v2/<name>/blobs/uploads/}.
   *
   * @return true for a step of a blob upload
   */
  public boolean isBlobUpload() {
    return RegistryRoutes.isBlobUpload(method, path);
  }

  /**
   * The repository the request names, such as {@code demo/app} for {@code
   * /v2/demo/app/manifests/1.0}.
   *
   * @return the repository; empty for requests about the registry as a whole ({@code GET /v2/}) and
   *     for paths outside the Distribution API
   */
  public Optional<String> repository() {
    return RegistryRoutes.repository(path);
  }
}
