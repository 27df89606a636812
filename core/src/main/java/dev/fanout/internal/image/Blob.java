package dev.fanout.internal.image;

import java.util.Objects;

/**
 * A layer or config blob of an image in hand. Its digest was verified against its bytes once, when
 * the image was read or built; the transport trusts it and never hashes the blob again.
 *
 * @param digest {@code sha256:<64 hex>}
 * @param size the length in bytes
 * @param content where the bytes are
 */
public record Blob(String digest, long size, BlobContent content) {

  /** Checks the fields. */
  public Blob {
    Digests.requireValid(digest);
    if (size < 0) {
      throw new IllegalArgumentException("a blob's size cannot be negative: " + size);
    }
    Objects.requireNonNull(content, "content");
  }
}
