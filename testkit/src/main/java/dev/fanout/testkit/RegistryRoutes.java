package dev.fanout.testkit;

import java.util.regex.Pattern;

/** Recognises the steps of a push by the method and path of a Distribution API request. */
final class RegistryRoutes {

  private static final Pattern MANIFEST = Pattern.compile("^/v2/.+/manifests/[^/]+$");
  private static final Pattern BLOB_UPLOAD = Pattern.compile("^/v2/.+/blobs/uploads/.*$");

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
}
