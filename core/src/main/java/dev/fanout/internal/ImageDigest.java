package dev.fanout.internal;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The digest every target of a run must hold. A run that writes a tarball learns it from that
 * build, before any push; a run built straight into the layer cache learns it from the first push
 * to finish, since Jib computes it from the manifest it pushes. Every other push must agree.
 */
final class ImageDigest {

  private final AtomicReference<String> agreed = new AtomicReference<>();

  /**
   * Offers a digest.
   *
   * @param digest the digest a build or push produced
   * @return the run's digest: the one offered first
   */
  String agree(String digest) {
    agreed.compareAndSet(null, digest);
    return agreed.get();
  }

  /**
   * The run's digest, once known.
   *
   * @return the digest, or empty when no build or push produced one
   */
  Optional<String> value() {
    return Optional.ofNullable(agreed.get());
  }
}
