package dev.fanout.internal.image;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** Hashes a blob's content as it streams, the one time it is read while an image is read. */
final class ContentHash {

  /** Big enough that a 1 GiB layer is hashed in few reads, small enough for any heap. */
  static final int BUFFER = 64 * 1024;

  private ContentHash() {}

  /**
   * The digest and length of some content.
   *
   * @param content the content
   * @return the digest and the number of bytes read
   * @throws IOException when it cannot be read
   */
  static Hashed of(BlobContent content) throws IOException {
    MessageDigest sha256 = Digests.sha256();
    long length = 0;
    byte[] buffer = new byte[BUFFER];
    try (InputStream in = content.open()) {
      for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
        sha256.update(buffer, 0, read);
        length += read;
      }
    }
    return new Hashed(Digests.format(sha256.digest()), length);
  }

  /**
   * What hashing found.
   *
   * @param digest {@code sha256:<hex>}
   * @param size the number of bytes hashed
   */
  record Hashed(String digest, long size) {}
}
