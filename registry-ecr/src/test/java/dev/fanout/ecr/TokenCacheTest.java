package dev.fanout.ecr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.RegistryCredential;
import dev.fanout.testing.MovableClock;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The ECR token cache")
class TokenCacheTest {

  private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");
  private static final String REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

  private static EcrToken token(Clock clock, Duration life) {
    return new EcrToken(
        RegistryCredential.of("AWS", "pw"),
        URI.create("https://" + REGISTRY),
        clock.instant(),
        clock.instant().plus(life));
  }

  @Test
  @DisplayName("reuses a 12-hour token until 15 minutes before it expires, then fetches a new one")
  void reusesUntilMargin() throws Exception {
    MovableClock clock = new MovableClock(START);
    TokenCache cache = new TokenCache(clock);
    AtomicInteger fetches = new AtomicInteger();
    TokenCache.Fetch fetch =
        () -> {
          fetches.incrementAndGet();
          return token(clock, Duration.ofHours(12));
        };
    EcrToken first = cache.get(REGISTRY, fetch);
    clock.advance(Duration.ofHours(11).plusMinutes(44));
    assertSame(first, cache.get(REGISTRY, fetch));
    clock.advance(Duration.ofMinutes(1));
    EcrToken second = cache.get(REGISTRY, fetch);
    assertEquals(2, fetches.get());
    assertTrue(second != first);
  }

  @Test
  @DisplayName("keeps back a quarter of a short-lived token's life instead of 15 minutes")
  void shortLivedToken() {
    EcrToken twentyMinutes = token(Clock.fixed(START, ZoneOffset.UTC), Duration.ofMinutes(20));
    assertTrue(twentyMinutes.usableAt(START.plus(Duration.ofMinutes(14))));
    assertFalse(twentyMinutes.usableAt(START.plus(Duration.ofMinutes(15))));
    EcrToken expired = token(Clock.fixed(START, ZoneOffset.UTC), Duration.ZERO);
    assertFalse(expired.usableAt(START));
  }

  @Test
  @DisplayName("fetches once for targets on the same registry readied at the same time")
  void oneFetchUnderConcurrency() throws Exception {
    MovableClock clock = new MovableClock(START);
    TokenCache cache = new TokenCache(clock);
    AtomicInteger fetches = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<EcrToken>> results = new ArrayList<>();
      for (int index = 0; index < 8; index++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return cache.get(
                      REGISTRY,
                      () -> {
                        fetches.incrementAndGet();
                        return token(clock, Duration.ofHours(12));
                      });
                }));
      }
      start.countDown();
      EcrToken shared = results.get(0).get();
      for (Future<EcrToken> result : results) {
        assertSame(shared, result.get());
      }
      assertEquals(1, fetches.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName(
      "renews a refused token with one fetch, and hands a later caller refused the same token the"
          + " renewed one")
  void renew() throws Exception {
    MovableClock clock = new MovableClock(START);
    TokenCache cache = new TokenCache(clock);
    AtomicInteger fetches = new AtomicInteger();
    TokenCache.Fetch fetch =
        () ->
            new EcrToken(
                RegistryCredential.of("AWS", "pw-" + fetches.incrementAndGet()),
                URI.create("https://" + REGISTRY),
                clock.instant(),
                clock.instant().plus(Duration.ofHours(12)));
    EcrToken refused = cache.get(REGISTRY, fetch);
    EcrToken renewed = cache.renew(REGISTRY, refused.credential().secret(), fetch);
    EcrToken again = cache.renew(REGISTRY, refused.credential().secret(), fetch);
    assertEquals(2, fetches.get());
    assertSame(renewed, again);
  }

  @Test
  @DisplayName("never shows the token's password in its text form")
  void hidesPassword() {
    EcrToken token =
        new EcrToken(
            RegistryCredential.of("AWS", "very-secret-token"),
            URI.create("https://" + REGISTRY),
            START,
            START.plus(Duration.ofHours(12)));
    assertFalse(token.toString().contains("very-secret-token"), token::toString);
  }
}
