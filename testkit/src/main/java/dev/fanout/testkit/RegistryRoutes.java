package dev.fanout.testkit;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Recognises the steps of a push by the method and path of a Distribution API request. */
final class RegistryRoutes {

  private static final Pattern MANIFEST = Pattern.compile("^/v2/.+/manifests/[^/]+$");
  private static final Pattern BLOB_UPLOAD = Pattern.compile("^/v2/.+/blobs/uploads/.*$");

  /** A repository's endpoints: manifests, blobs (uploads included), tags and referrers. */
  private static final Pattern IN_REPOSITORY =
      Pattern.compile("^/v2/(.+)/(?:manifests|blobs|tags|referrers)/.*$");

  private RegistryRoutes() {}

  /** {@code PUT /v2/<name>/manifests/<reference>}. */
  static boolean isManifestUpload(String method, String path) {
    return method.equals("PUT") && MANIFEST.matcher(path).matches();
  }

  /** {@code POST}, {@code PATCH} or {@code PUT} under {@code /v2/<name>/blobs/uploads/}. */
  static boolean isBlobUpload(String method, String path) {
    return (method.equals("POST") || method.equals("PATCH") || method.equals("PUT"))
        && BLOB_UPLOAD.matcher(path).matches();
  }

  /** The {@code <name>} of {@code /v2/<name>/manifests/...}, {@code .../blobs/...} and the like. */
  static Optional<String> repository(String path) {
    Matcher matcher = IN_REPOSITORY.matcher(path);
    return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
  }
}
