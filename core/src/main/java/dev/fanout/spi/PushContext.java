package dev.fanout.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * What a backend is told with a failed request of a push: the target it is about, where the push
 * goes, and where the target stands in its run. It carries what a backend would otherwise have to
 * remember between calls or read back out of a message.
 *
 * @param target the target being pushed
 * @param destination where and how it is pushed, as {@link RegistryBackend#prepare} readied it
 * @param attempt the try of the failed request, 1 for its first
 * @param deadline when the target's retry deadline passes; no wait may end after it
 */
public record PushContext(
    TargetSpec target, PushDestination destination, int attempt, Instant deadline) {

  /**
   * Checks the fields.
   *
   * @param target the target being pushed
   * @param destination where and how it is pushed, as {@link RegistryBackend#prepare} readied it
   * @param attempt the try of the failed request, 1 for its first
   * @param deadline when the target's retry deadline passes; no wait may end after it
   */
  public PushContext {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(deadline, "deadline");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be at least 1, not " + attempt);
    }
  }
}
