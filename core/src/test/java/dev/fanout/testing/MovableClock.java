package dev.fanout.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that stands still until the test moves it, for code that takes a {@link Clock}: token
 * caches, refresh deadlines, progress intervals. Thread-safe; always in UTC.
 *
 * <p>The one test clock of every module: it lives in core's tests, which core's own tests can
 * use, and reaches the backends' tests through core's test jar ({@code fanout-core:test-jar}),
 * since core cannot depend on the testkit that depends on it.
 */
public final class MovableClock extends Clock {

  private volatile Instant now;

  /**
   * A clock standing at {@code start}.
   *
   * @param start the first instant it shows
   */
  public MovableClock(Instant start) {
    this.now = start;
  }

  /**
   * Moves the clock forward.
   *
   * @param duration how far, not negative
   */
  public synchronized void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a clock moves forward only: " + duration);
    }
    now = now.plus(duration);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** {@return this clock: the zone does not change which instant it shows} */
  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
