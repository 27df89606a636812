package dev.fanout.gar;

import dev.fanout.RetryPolicy;
import java.time.Duration;

/** The retry policy Artifact Registry's per-minute request quotas need. */
final class QuotaRetries {

  /**
   * Artifact Registry's request quotas are per minute, and a 429 holds for the rest of that minute;
   * a retry policy for its hosts must be able to wait this long.
   */
  static final Duration QUOTA_WINDOW = Duration.ofSeconds(60);

  /** The most attempts {@link #widen(RetryPolicy)} asks for to span {@link #QUOTA_WINDOW}. */
  static final int MAX_ATTEMPTS_FOR_QUOTA = 10;

  private QuotaRetries() {}

  /**
   * Widens the run's policy so that a 429 from Artifact Registry's per-minute quota can be waited
   * out: single waits of up to {@link #QUOTA_WINDOW}, and enough attempts that the computed waits
   * add up to at least that window (1 + 2 + 4 + 8 + 16 + 32 s: 7 tries; the default 10 already do).
   * A policy of one try stays one try: its author asked for no retries.
   */
  static RetryPolicy widen(RetryPolicy configured) {
    if (configured.maxAttempts() == 1) {
      return configured;
    }
    RetryPolicy.Builder widened = configured.toBuilder();
    if (configured.maxBackoff().compareTo(QUOTA_WINDOW) < 0) {
      widened.maxBackoff(QUOTA_WINDOW);
    }
    RetryPolicy policy = widened.build();
    int attempts = configured.maxAttempts();
    while (attempts < MAX_ATTEMPTS_FOR_QUOTA
        && totalWait(policy, attempts).compareTo(QUOTA_WINDOW) < 0) {
      attempts++;
    }
    return policy.toBuilder().maxAttempts(attempts).build();
  }

  private static Duration totalWait(RetryPolicy policy, int attempts) {
    Duration total = Duration.ZERO;
    for (int attempt = 1; attempt < attempts; attempt++) {
      total = total.plus(policy.backoffAfter(attempt));
    }
    return total;
  }
}
