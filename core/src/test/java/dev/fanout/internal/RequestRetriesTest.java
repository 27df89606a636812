package dev.fanout.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.RetryPolicy;
import dev.fanout.spi.RegistryFailure;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The retry rules the README states, on one request at a time: {@code Retry-After} is a floor for
 * the wait, a 429 with it holds the whole host, and a host admits at most its number of pushes at
 * once. The registry's answer is played by the backend's {@code refine}, which every failure passes
 * through.
 */
@DisplayName("Retries of one request")
class RequestRetriesTest {

  private static final String HOST = "registry.test";

  /** A backoff far below the Retry-After, so that only the Retry-After can make the wait long. */
  private static final RetryPolicy QUICK =
      RetryPolicy.custom()
          .maxAttempts(3)
          .initialBackoff(Duration.ofMillis(1))
          .maxBackoff(Duration.ofMillis(1))
          .jitter(0)
          .build();

  private static final RegistryFailure RATE_LIMITED = failure(429, "TOOMANYREQUESTS");

  /**
   * A 500 with {@code Retry-After}: retried, but it does not hold the host (only a 429 or 503
   * does), so the wait it causes is the request's own.
   */
  private static final RegistryFailure SERVER_ERROR = failure(500, "UNKNOWN");

  private final HostGuards hosts = new HostGuards(2, Map.of(), Clock.systemUTC());

  @Test
  @DisplayName(
      "waits as long as Retry-After asks when it is longer than the backoff, then tries again")
  void retryAfterIsAFloor() throws Exception {
    RequestRetries retries = retries(hosts.of(HOST, OptionalInt.empty()), SERVER_ERROR);
    AtomicInteger sent = new AtomicInteger();

    String answer = retries.run("PUT manifest 1.0", () -> failOnce(sent));

    assertEquals("pushed", answer);
    assertEquals(2, retries.attempts());
    assertTrue(
        retries.waited().compareTo(Duration.ofSeconds(1)) >= 0,
        "waited " + retries.waited() + " where Retry-After asked for 1 s");
  }

  @Test
  @DisplayName("holds the whole host after a 429 with Retry-After, not only the request")
  void rateLimitHoldsTheHost() throws Exception {
    HostGuards.Guard guard = hosts.of(HOST, OptionalInt.empty());
    AtomicInteger sent = new AtomicInteger();
    Instant before = Instant.now();

    retries(guard, RATE_LIMITED).run("PUT manifest 1.0", () -> failOnce(sent));

    assertFalse(
        guard.heldUntil().isBefore(before.plusSeconds(1)),
        "the host is held until " + guard.heldUntil() + ", not a second after " + before);
  }

  @Test
  @DisplayName("lets at most its number of pushes work on a host at once; the next one waits")
  void pushesPerHost() throws Exception {
    HostGuards.Guard guard = hosts.of(HOST, OptionalInt.empty());
    CountDownLatch inside = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean thirdEntered = new AtomicBoolean();
    List<Thread> holders =
        List.of(
            holder(guard, () -> hold(inside, release)), holder(guard, () -> hold(inside, release)));
    holders.forEach(Thread::start);
    inside.await();
    Thread third =
        holder(
            guard,
            () -> {
              thirdEntered.set(true);
              return null;
            });
    third.start();
    while (third.getState() != Thread.State.WAITING
        && third.getState() != Thread.State.TERMINATED) {
      Thread.onSpinWait();
    }

    assertFalse(thirdEntered.get(), "a third push worked on a host that allows 2");
    release.countDown();
    third.join();
    for (Thread holder : holders) {
      holder.join();
    }
    assertTrue(thirdEntered.get(), "the third push never got its turn");
  }

  /** Retries whose every failure the backend turns into {@code answer}. */
  private RequestRetries retries(HostGuards.Guard guard, RegistryFailure answer) {
    return new RequestRetries(
        (failure, attempt, deadline) -> answer,
        QUICK,
        guard,
        new FailureClassifier(Clock.systemUTC()),
        Clock.systemUTC(),
        "target",
        new RunEvents(List.of()),
        line -> {});
  }

  /** A retryable answer with {@code Retry-After: 1}. */
  private static RegistryFailure failure(int status, String code) {
    return new RegistryFailure(
        OptionalInt.of(status),
        List.of(code),
        Map.of("retry-after", "1"),
        Optional.of(Duration.ofSeconds(1)),
        true,
        status + " " + code);
  }

  /** The first call fails (the backend says how), the second succeeds. */
  private static String failOnce(AtomicInteger sent) throws IOException {
    if (sent.incrementAndGet() == 1) {
      throw new IOException("answered 429");
    }
    return "pushed";
  }

  private static Void hold(CountDownLatch inside, CountDownLatch release)
      throws InterruptedException {
    inside.countDown();
    release.await();
    return null;
  }

  /** A push's work on the host, in a thread of its own. */
  private static Thread holder(HostGuards.Guard guard, Callable<Void> work) {
    return new Thread(
        () -> {
          try {
            guard.withSlot(work);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
