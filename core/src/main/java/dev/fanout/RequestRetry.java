package dev.fanout;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A registry request that failed and is to be sent again once a wait has passed: what {@link
 * RunListener#requestRetried(RequestRetry)} hears, so a console, a CI log or a report can show
 * retries without any logging library.
 *
 * <p>Every text in it is one neutralised line without secrets: the request is described by Fanout,
 * and the reason, which may quote a registry, has passed through the same scrubbing and
 * neutralising as a target's log lines.
 *
 * @param target the target's name ({@link PlannedTarget#name()}), or {@link Progress#BUILD} for a
 *     request that reads the image source
 * @param request what was sent, for example {@code PUT manifest 1.2.3 on 127.0.0.1:5000/acme/app}
 * @param reason why it failed, for example {@code HTTP 429 Too Many Requests}
 * @param delay how long Fanout waits before the next try: the policy's backoff, or the registry's
 *     {@code Retry-After} when that is longer
 * @param attempt the number of the try that failed, from 1
 * @param maxAttempts the most tries the retry policy allows one request
 */
public record RequestRetry(
    String target, String request, String reason, Duration delay, int attempt, int maxAttempts) {

  /**
   * Checks that nothing is missing.
   *
   * @param target the target's name
   * @param request what was sent
   * @param reason why it failed
   * @param delay the wait before the next try
   * @param attempt the try that failed
   * @param maxAttempts the most tries
   */
  public RequestRetry {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(delay, "delay");
  }

  /**
   * One line for a log, such as {@code retrying PUT manifest 1.2.3 on 127.0.0.1:5000/acme/app in 2
   * s after HTTP 429 Too Many Requests (try 1 of 5 failed)}.
   *
   * @return the line, without the target's name
   */
  public String describe() {
    return "retrying "
        + request
        + " in "
        + seconds(delay)
        + " after "
        + reason
        + " (try "
        + attempt
        + " of "
        + maxAttempts
        + " failed)";
  }

  /** Whole seconds as {@code 2 s}, anything else to a tenth, as {@code 1.5 s}. */
  static String seconds(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0
        ? millis / 1000 + " s"
        : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
