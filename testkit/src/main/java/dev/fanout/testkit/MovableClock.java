package dev.fanout.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that stands still until the test moves it, for code that takes a {@link Clock}: token
 * caches, refresh deadlines, progress intervals. Thread-safe; always in UTC.
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
