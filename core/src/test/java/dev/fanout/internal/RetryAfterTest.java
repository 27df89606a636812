package dev.fanout.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Retry-After")
class RetryAfterTest {

  private static final Instant NOW = Instant.parse("2026-11-27T23:10:00Z");

  @Test
  @DisplayName("reads a number of seconds")
  void seconds() {
    assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse(" 120 ", NOW));
  }

  @Test
  @DisplayName("reads an HTTP date as the time left until it")
  void httpDate() {
    assertEquals(
        Optional.of(Duration.ofSeconds(90)), RetryAfter.parse("Fri, 27 Nov 2026 23:11:30 GMT", NOW));
  }

  @Test
  @DisplayName("reads a date in the past as no wait")
  void pastDate() {
    assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Fri, 27 Nov 2026 23:00:00 GMT", NOW));
  }

  @Test
  @DisplayName("ignores a value that is neither form")
  void garbage() {
    assertEquals(Optional.empty(), RetryAfter.parse("soon", NOW));
    assertEquals(Optional.empty(), RetryAfter.parse("-5", NOW));
  }
}
