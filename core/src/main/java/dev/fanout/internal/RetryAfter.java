package dev.fanout.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} header, which RFC 9110 §10.2.3 allows in two forms: a number of
 * seconds ({@code 120}) or an HTTP date ({@code Fri, 27 Nov 2026 23:10:00 GMT}).
 */
final class RetryAfter {

  private RetryAfter() {}

  /**
   * The wait a header asks for.
   *
   * @param value the header's value
   * @param now the time the answer arrived, for the date form
   * @return the wait, never negative; empty when the value is neither form
   */
  static Optional<Duration> parse(String value, Instant now) {
    String trimmed = value.trim();
    if (trimmed.matches("[0-9]{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(trimmed)));
    }
    try {
      Instant until = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, until);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
