package dev.fanout;

import java.time.Duration;
import java.util.Objects;

/**
 * A registry host answered with {@code 429 Too Many Requests} or {@code 503 Service Unavailable}
 * and a {@code Retry-After}: Fanout holds every request to that host, every target's alike, until
 * the wait has passed. What {@link RunListener#hostHeld(HostHold)} hears.
 *
 * <p>Every text in it is one neutralised line without secrets.
 *
 * @param host the host, with its port when it has one, for example {@code 127.0.0.1:5000}
 * @param target the name of the target whose request got the answer ({@link PlannedTarget#name()}),
 *     or {@link Progress#BUILD} for a request that reads the image source
 * @param delay how long the host asked every client to wait
 * @param reason the answer, for example {@code HTTP 429 Too Many Requests}
 */
public record HostHold(String host, String target, Duration delay, String reason) {

  /**
   * Checks that nothing is missing.
   *
   * @param host the host
   * @param target the target whose request got the answer
   * @param delay how long the host asked to wait
   * @param reason the answer
   */
  public HostHold {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * One line for a log, such as {@code 127.0.0.1:5000 asked every client to wait 3 s (HTTP 429 Too
   * Many Requests): every request to it waits}.
   *
   * @return the line
   */
  public String describe() {
    return host
        + " asked every client to wait "
        + RequestRetry.seconds(delay)
        + " ("
        + reason
        + "): every request to it waits";
  }
}
