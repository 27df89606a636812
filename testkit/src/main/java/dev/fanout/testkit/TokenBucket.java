package dev.fanout.testkit;

import java.util.function.LongSupplier;

/**
 * The request limiter of {@link FaultInjectingProxy.Builder#limitRate}: a bucket of {@code 1 +
 * burst} tokens, full at the start, refilled at {@code rate} tokens a second; a request that finds
 * a token takes it, a request that finds none is refused and takes nothing. This admits what
 * nginx's {@code limit_req rate=R burst=B nodelay} admits: after an idle spell {@code 1 + B}
 * requests at once, then one every {@code 1/R} seconds on average.
 *
 * <p>Not thread-safe: the {@link FaultScript} that owns it calls it under its own lock.
 */
final class TokenBucket {

  private static final double NANOS_PER_SECOND = 1e9;

  private final double capacity;
  private final double tokensPerNano;
  private final LongSupplier nanoTime;
  private double tokens;
  private long refilledAt;

  /**
   * A full bucket.
   *
   * @param rate tokens added per second, positive
   * @param burst tokens beyond the first that may be taken at once, 0 or more
   * @param nanoTime a monotonic clock in nanoseconds, such as {@code System::nanoTime}
   */
  TokenBucket(double rate, int burst, LongSupplier nanoTime) {
    this.capacity = 1.0 + burst;
    this.tokensPerNano = rate / NANOS_PER_SECOND;
    this.nanoTime = nanoTime;
    this.tokens = capacity;
    this.refilledAt = nanoTime.getAsLong();
  }

  /** Takes a token if there is one; returns whether the request may pass. */
  boolean tryTake() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(capacity, tokens + (now - refilledAt) * tokensPerNano);
    refilledAt = now;
    if (tokens < 1.0) {
      return false;
    }
    tokens -= 1.0;
    return true;
  }
}
