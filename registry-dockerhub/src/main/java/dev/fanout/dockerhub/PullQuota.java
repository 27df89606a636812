package dev.fanout.dockerhub;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker Hub's pull quota as its rate-limit headers state it: {@code ratelimit-limit: 100;w=21600},
 * {@code ratelimit-remaining: 76;w=21600} and {@code docker-ratelimit-source: 192.0.2.1}.
 *
 * @param limit the pulls allowed per window
 * @param remaining the pulls left in the current window
 * @param window the window the figures count over (21600 s, six hours, today)
 * @param source what the pulls are counted against, as Docker Hub names it: the client's IP address
 *     for anonymous pulls, an account id otherwise; empty when the header is missing
 */
public record PullQuota(int limit, int remaining, Duration window, Optional<String> source) {

  /** Header with the pulls allowed per window. */
  static final String LIMIT_HEADER = "ratelimit-limit";

  /** Header with the pulls left in the window. */
  static final String REMAINING_HEADER = "ratelimit-remaining";

  /** Header naming what the pulls are counted against. */
  static final String SOURCE_HEADER = "docker-ratelimit-source";

  /** An IPv4 or IPv6 address or an account id: letters, digits, {@code . : - _}, at most 64. */
  private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9.:_-]{1,64}");

  /**
   * Docker Hub's window when a header gives none: pull limits are counted per six hours
   * (docs.docker.com/docker-hub/usage/pulls). The headers' {@code w=} parameter overrides it.
   */
  static final Duration DEFAULT_WINDOW = Duration.ofHours(6);

  /** {@code <count>} or {@code <count>;w=<seconds>}, possibly with further parameters. */
  private static final Pattern VALUE = Pattern.compile("\\s*(\\d{1,9})\\s*(?:;(.*))?");

  private static final Pattern WINDOW =
      Pattern.compile("(?:^|;)\\s*w\\s*=\\s*(\\d{1,12})\\s*(?:;|$)");

  /**
   * Checks the figures.
   *
   * @param limit the pulls allowed per window
   * @param remaining the pulls left in the current window
   * @param window the window the figures count over (21600 s, six hours, today)
   * @param source what the pulls are counted against, as Docker Hub names it: the client's IP address
   *     for anonymous pulls, an account id otherwise; empty when the header is missing
   */
  public PullQuota {
    if (limit < 0 || remaining < 0) {
      throw new IllegalArgumentException("pull counts cannot be negative");
    }
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(source, "source");
  }

  /**
   * Reads the quota from a response's headers.
   *
   * @param header the value of a header by lower-case name
   * @return the quota, or empty when Docker Hub sent no rate-limit headers: pulls are not limited
   *     (a paid plan, or an image exempt from the limit)
   * @throws IllegalArgumentException when the headers are there but cannot be read
   */
  static Optional<PullQuota> fromHeaders(Function<String, Optional<String>> header) {
    Optional<String> limit = header.apply(LIMIT_HEADER);
    Optional<String> remaining = header.apply(REMAINING_HEADER);
    if (limit.isEmpty() && remaining.isEmpty()) {
      return Optional.empty();
    }
    if (limit.isEmpty() || remaining.isEmpty()) {
      throw new IllegalArgumentException(
          "Docker Hub sent only one of " + LIMIT_HEADER + " and " + REMAINING_HEADER);
    }
    return Optional.of(
        new PullQuota(
            count(LIMIT_HEADER, limit.get()),
            count(REMAINING_HEADER, remaining.get()),
            window(limit.get()).or(() -> window(remaining.get())).orElse(DEFAULT_WINDOW),
            header.apply(SOURCE_HEADER).flatMap(PullQuota::sourceOf)));
  }

  /**
   * What {@value #SOURCE_HEADER} names, when it looks like what Docker Hub sends: an IP address or
   * an account id. It is printed in notes and messages, so any other text (a mirror's, say) is
   * left out rather than quoted.
   *
   * @param value the header's value
   * @return the source, or empty when the value is not an address or an id
   */
  static Optional<String> sourceOf(String value) {
    String trimmed = value.trim();
    return SOURCE.matcher(trimmed).matches() ? Optional.of(trimmed) : Optional.empty();
  }

  /**
   * The count of a header value such as {@code 0;w=21600}.
   *
   * @param value the header's value
   * @return the count, when the value starts with one
   */
  static Optional<Integer> countOf(String value) {
    Matcher matcher = VALUE.matcher(value);
    return matcher.matches() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
  }

  /**
   * The window of a header value such as {@code 0;w=21600}.
   *
   * @param value the header's value
   * @return the window, when the value names one
   */
  static Optional<Duration> window(String value) {
    Matcher matcher = VALUE.matcher(value);
    if (!matcher.matches() || matcher.group(2) == null) {
      return Optional.empty();
    }
    Matcher window = WINDOW.matcher(matcher.group(2));
    return window.find()
        ? Optional.of(Duration.ofSeconds(Long.parseLong(window.group(1))))
        : Optional.empty();
  }

  /**
   * A duration for people: {@code 6 h}, {@code 90 min}, {@code 45 s}.
   *
   * @param duration the duration
   * @return the text
   */
  static String describe(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds >= 3600 && seconds % 3600 == 0) {
      return seconds / 3600 + " h";
    }
    if (seconds >= 60 && seconds % 60 == 0) {
      return seconds / 60 + " min";
    }
    if (seconds >= 3600) {
      return seconds / 3600 + " h " + (seconds % 3600) / 60 + " min";
    }
    if (seconds >= 60) {
      return seconds / 60 + " min " + seconds % 60 + " s";
    }
    return seconds + " s";
  }

  /**
   * The quota in one line, for example {@code 76 of 100 pulls left per 6 h (counted for
   * 192.0.2.1)}.
   *
   * @return the line
   */
  @Override
  public String toString() {
    return remaining
        + " of "
        + limit
        + " pulls left per "
        + describe(window)
        + source.map(value -> " (counted for " + value + ")").orElse("");
  }

  private static int count(String name, String value) {
    return countOf(value)
        .orElseThrow(
            () -> new IllegalArgumentException("cannot read " + name + ": '" + value + "'"));
  }
}
