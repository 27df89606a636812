package dev.fanout.testkit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** The {@code sha256:<hex>} content digests that registries use to name manifests and blobs. */
final class Digests {

  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

  private Digests() {}

  /** Returns {@code sha256:} followed by the lowercase hex SHA-256 of {@code bytes}. */
  static String sha256(byte[] bytes) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "sha256:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime must provide SHA-256", e);
    }
  }

  /**
   * Rejects anything but a well-formed sha256 digest, the only kind the checker can recompute.
   *
   * @throws IllegalArgumentException if {@code digest} is not {@code sha256:} and 64 hex digits
   */
  static String requireSha256(String digest) {
    if (digest == null || !SHA256.matcher(digest).matches()) {
      throw new IllegalArgumentException(
          "expected a digest of the form sha256:<64 lowercase hex digits>, got " + digest);
    }
    return digest;
  }
}
