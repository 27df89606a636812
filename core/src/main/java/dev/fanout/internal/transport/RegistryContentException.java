package dev.fanout.internal.transport;

import java.io.IOException;

/**
 * A registry holds or served bytes other than those expected: a manifest's {@code
 * Docker-Content-Digest} differs from the digest of the bytes sent, a fetched manifest or blob does
 * not match its digest or size, a token service answered without a token. Retrying does not help.
 */
public final class RegistryContentException extends IOException {

  private static final long serialVersionUID = 1L;

  /**
   * A mismatch.
   *
   * @param message one line, registry text neutralised
   */
  RegistryContentException(String message) {
    super(message);
  }
}
