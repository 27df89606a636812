package dev.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RetryPolicy")
class RetryPolicyTest {

  @Test
  @DisplayName("defaults are the documented constants")
  void defaults() {
    RetryPolicy policy = RetryPolicy.ofDefaults();
    assertEquals(RetryPolicy.DEFAULT_MAX_ATTEMPTS, policy.maxAttempts());
    assertEquals(RetryPolicy.DEFAULT_INITIAL_BACKOFF, policy.initialBackoff());
    assertEquals(RetryPolicy.DEFAULT_MAX_BACKOFF, policy.maxBackoff());
    assertEquals(RetryPolicy.DEFAULT_DEADLINE, policy.deadline());
    assertEquals(1, RetryPolicy.noRetries().maxAttempts());
  }

  @Test
  @DisplayName("backs off exponentially up to the maximum")
  void exponentialBackoff() {
    RetryPolicy policy =
        RetryPolicy.custom()
            .initialBackoff(Duration.ofSeconds(1))
            .multiplier(2)
            .maxBackoff(Duration.ofSeconds(5))
            .build();
    assertEquals(Duration.ofSeconds(1), policy.backoffAfter(1));
    assertEquals(Duration.ofSeconds(2), policy.backoffAfter(2));
    assertEquals(Duration.ofSeconds(4), policy.backoffAfter(3));
    assertEquals(Duration.ofSeconds(5), policy.backoffAfter(4));
    assertEquals(Duration.ofSeconds(5), policy.backoffAfter(40));
  }

  @Test
  @DisplayName("each setter rejects a value that can never be right")
  void failsFast() {
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.custom().maxAttempts(0));
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.custom().multiplier(0.5));
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.custom().jitter(1.5));
    assertThrows(
        IllegalArgumentException.class, () -> RetryPolicy.custom().initialBackoff(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.custom().deadline(Duration.ZERO));
  }

  @Test
  @DisplayName("build rejects a maximum backoff shorter than the initial one")
  void rejectsContradiction() {
    IllegalStateException error =
        assertThrows(
            IllegalStateException.class,
            () ->
                RetryPolicy.custom()
                    .initialBackoff(Duration.ofSeconds(10))
                    .maxBackoff(Duration.ofSeconds(1))
                    .build());
    assertTrue(error.getMessage().contains("maxBackoff"), error.getMessage());
  }

  @Test
  @DisplayName("toBuilder keeps every value")
  void toBuilderRoundTrips() {
    RetryPolicy policy =
        RetryPolicy.custom().maxAttempts(7).jitter(0).deadline(Duration.ofMinutes(2)).build();
    assertEquals(policy.toString(), policy.toBuilder().build().toString());
  }
}
