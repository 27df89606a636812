package dev.fanout.internal.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * A manifest or index exactly as it is pushed: opaque bytes and their media type. Fanout never
 * re-serializes a manifest it did not author; its digest is the digest of these bytes.
 */
public final class ManifestBytes {

  private final String mediaType;
  private final byte[] bytes;
  private final String digest;

  private ManifestBytes(String mediaType, byte[] bytes) {
    this.mediaType = Objects.requireNonNull(mediaType, "mediaType");
    this.bytes = bytes;
    this.digest = Digests.of(bytes);
  }

  /**
   * A manifest.
   *
   * @param mediaType its media type, sent as {@code Content-Type}; taken from the descriptor that
   *     points to it, since an OCI manifest may omit its own {@code mediaType}
   * @param bytes the exact bytes, copied
   * @return the manifest
   */
  public static ManifestBytes of(String mediaType, byte[] bytes) {
    return new ManifestBytes(mediaType, bytes.clone());
  }

  /** The media type. */
  public String mediaType() {
    return mediaType;
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The length in bytes. */
  public int size() {
    return bytes.length;
  }

  /** The digest of the bytes, {@code sha256:<hex>}. */
  public String digest() {
    return digest;
  }

  /** Whether this is an index (OCI image index or Docker manifest list) rather than an image. */
  public boolean isIndex() {
    return MediaTypes.isIndex(mediaType);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ManifestBytes that
        && mediaType.equals(that.mediaType)
        && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return mediaType + " " + digest + " (" + bytes.length + " bytes)";
  }
}
