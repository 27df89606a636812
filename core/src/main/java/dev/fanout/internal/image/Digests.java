package dev.fanout.internal.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 digests in the {@code sha256:<hex>} form that OCI descriptors use. */
public final class Digests {

  /** The only algorithm Fanout writes; registries must accept it (OCI image spec, descriptor). */
  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

  private Digests() {}

  /**
   * A new SHA-256 hasher.
   *
   * @return the hasher
   */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /**
   * The digest of some bytes.
   *
   * @param bytes the bytes
   * @return {@code sha256:<hex>}
   */
  public static String of(byte[] bytes) {
    return format(sha256().digest(bytes));
  }

  /**
   * Formats a finished SHA-256 hash.
   *
   * @param hash the 32 bytes
   * @return {@code sha256:<hex>}
   */
  public static String format(byte[] hash) {
    return "sha256:" + HexFormat.of().formatHex(hash);
  }

  /**
   * Whether a string is a SHA-256 digest Fanout can verify.
   *
   * @param digest the candidate
   * @return true for {@code sha256:} and 64 lower-case hex digits
   */
  public static boolean isValid(String digest) {
    return digest != null && SHA256.matcher(digest).matches();
  }

  /**
   * Checks a digest.
   *
   * @param digest the candidate
   * @return the digest
   * @throws IllegalArgumentException when it is not {@code sha256:<64 hex>}
   */
  public static String requireValid(String digest) {
    if (!isValid(digest)) {
      throw new IllegalArgumentException("not a sha256 digest: " + digest);
    }
    return digest;
  }
}
