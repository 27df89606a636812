package dev.fanout;

import java.time.Duration;
import java.util.Objects;

/**
 * How each request of a push is retried when a registry answers with something that may pass: 408,
 * 429, 5xx, a reset connection or a timeout. Immutable; made with {@link #ofDefaults()}, {@link
 * #noRetries()} or {@link #custom()}.
 *
 * <p>The unit is one HTTP request, not the push: a push of three layers is about fifteen requests
 * (a ping, a HEAD and an upload per blob, a manifest per tag), and when one fails only that request
 * is tried again; the push never starts over. {@link #maxAttempts()} bounds the tries of each
 * request, {@link #deadline()} the whole target.
 *
 * <p>A registry's {@code Retry-After} is a floor for the wait, never a cap: the wait is the longer of
 * it and the backoff computed here. When a wait would end after the target's deadline, the target
 * fails at once and says so rather than sleeping past the deadline.
 */
public final class RetryPolicy {

  /**
   * Tries per request, the first included. With one request in three refused at random, a request
   * fails ten times in a row with probability 0.3^10 = 6e-6, so a push of about twenty requests
   * gets through 9,999 times in 10,000; the waits before the tenth try add up to about 2.5 minutes,
   * inside the deadline.
   */
  public static final int DEFAULT_MAX_ATTEMPTS = 10;

  /** Wait before the second attempt when the registry gives no {@code Retry-After}. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);

  /** Each further wait is this many times the previous one: 1 s, 2 s, 4 s, 8 s. */
  public static final double DEFAULT_MULTIPLIER = 2.0;

  /** No computed wait is longer than this; a registry's {@code Retry-After} may ask for more. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

  /**
   * Computed waits vary by up to this share either way, so targets that failed together do not
   * retry together.
   */
  public static final double DEFAULT_JITTER = 0.2;

  /** A target gives up once this much time has passed since its push started. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);

  private static final RetryPolicy DEFAULTS = custom().build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final double multiplier;
  private final Duration maxBackoff;
  private final double jitter;
  private final Duration deadline;

  private RetryPolicy(Builder builder) {
    this.maxAttempts = builder.maxAttempts;
    this.initialBackoff = builder.initialBackoff;
    this.multiplier = builder.multiplier;
    this.maxBackoff = builder.maxBackoff;
    this.jitter = builder.jitter;
    this.deadline = builder.deadline;
  }

  /**
   * The documented defaults.
   *
   * @return the default policy
   */
  public static RetryPolicy ofDefaults() {
    return DEFAULTS;
  }

  /**
   * One try per request, no retry: what Jib alone does.
   *
   * @return the policy
   */
  public static RetryPolicy noRetries() {
    return custom().maxAttempts(1).build();
  }

  /**
   * A builder starting from the defaults.
   *
   * @return the builder
   */
  public static Builder custom() {
    return new Builder();
  }

  /**
   * A builder starting from this policy's values.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    return new Builder()
        .maxAttempts(maxAttempts)
        .initialBackoff(initialBackoff)
        .multiplier(multiplier)
        .maxBackoff(maxBackoff)
        .jitter(jitter)
        .deadline(deadline);
  }

  /**
   * Tries per request, the first included.
   *
   * @return at least 1
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * The wait before the second attempt, without {@code Retry-After}.
   *
   * @return the wait
   */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /**
   * The factor between successive computed waits.
   *
   * @return at least 1
   */
  public double multiplier() {
    return multiplier;
  }

  /**
   * The longest computed wait.
   *
   * @return the wait
   */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * The share by which computed waits vary.
   *
   * @return between 0 and 1
   */
  public double jitter() {
    return jitter;
  }

  /**
   * The time after its push started at which a target gives up.
   *
   * @return the deadline
   */
  public Duration deadline() {
    return deadline;
  }

  /**
   * The computed wait before try {@code attempt + 1} of a request, without jitter.
   *
   * @param attempt the try that just failed, from 1
   * @return the wait, at most {@link #maxBackoff()}
   */
  public Duration backoffAfter(int attempt) {
    double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
    return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis((long) millis);
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxAttempts="
        + maxAttempts
        + ", initialBackoff="
        + initialBackoff
        + ", multiplier="
        + multiplier
        + ", maxBackoff="
        + maxBackoff
        + ", jitter="
        + jitter
        + ", deadline="
        + deadline
        + "]";
  }

  /** Builds a {@link RetryPolicy}; each setter rejects a value that can never be right. */
  public static final class Builder {

    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private double multiplier = DEFAULT_MULTIPLIER;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private double jitter = DEFAULT_JITTER;
    private Duration deadline = DEFAULT_DEADLINE;

    private Builder() {}

    /**
     * Tries per request, the first included.
     *
     * @param attempts at least 1
     * @return this builder
     */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * The wait before the second attempt.
     *
     * @param backoff not negative
     * @return this builder
     */
    public Builder initialBackoff(Duration backoff) {
      this.initialBackoff = notNegative(backoff, "initialBackoff");
      return this;
    }

    /**
     * The factor between successive waits.
     *
     * @param multiplier at least 1
     * @return this builder
     */
    public Builder multiplier(double multiplier) {
      if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
      }
      this.multiplier = multiplier;
      return this;
    }

    /**
     * The longest computed wait.
     *
     * @param backoff not negative
     * @return this builder
     */
    public Builder maxBackoff(Duration backoff) {
      this.maxBackoff = notNegative(backoff, "maxBackoff");
      return this;
    }

    /**
     * The share by which computed waits vary either way.
     *
     * @param jitter from 0 to 1
     * @return this builder
     */
    public Builder jitter(double jitter) {
      if (!(jitter >= 0.0 && jitter <= 1.0)) {
        throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
      }
      this.jitter = jitter;
      return this;
    }

    /**
     * The time after its push started at which a target gives up.
     *
     * @param deadline positive
     * @return this builder
     */
    public Builder deadline(Duration deadline) {
      if (notNegative(deadline, "deadline").isZero()) {
        throw new IllegalArgumentException("deadline must be positive");
      }
      this.deadline = deadline;
      return this;
    }

    /**
     * The policy.
     *
     * @return the policy
     * @throws IllegalStateException when the settings contradict each other
     */
    public RetryPolicy build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalStateException(
            "maxBackoff (" + maxBackoff + ") is shorter than initialBackoff (" + initialBackoff + ")");
      }
      return new RetryPolicy(this);
    }

    private static Duration notNegative(Duration duration, String name) {
      Objects.requireNonNull(duration, name);
      if (duration.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, was " + duration);
      }
      return duration;
    }
  }
}
