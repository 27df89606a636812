package dev.fanout.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TokenBucket")
class TokenBucketTest {

  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong now = new AtomicLong(42 * SECOND);

  @Test
  @DisplayName("a full bucket of rate 2 and burst 2 lets three requests through at once, not four")
  void burst() {
    TokenBucket bucket = new TokenBucket(2, 2, now::get);
    assertEquals(List.of(true, true, true, false), take(bucket, 4));
  }

  @Test
  @DisplayName("after the burst, one request passes every 1/rate seconds")
  void refillsAtTheRate() {
    TokenBucket bucket = new TokenBucket(2, 2, now::get);
    take(bucket, 3);

    now.addAndGet(SECOND / 2 - 1);
    assertFalse(bucket.tryTake(), "a token came before half a second had passed");
    now.addAndGet(1);
    assertTrue(bucket.tryTake());
    assertFalse(bucket.tryTake());
    now.addAndGet(SECOND / 2);
    assertTrue(bucket.tryTake());
  }

  @Test
  @DisplayName("refused requests take nothing: they do not push the next token further away")
  void refusalsAreFree() {
    TokenBucket bucket = new TokenBucket(2, 0, now::get);
    assertTrue(bucket.tryTake());
    for (int i = 0; i < 10; i++) {
      now.addAndGet(SECOND / 40);
      assertFalse(bucket.tryTake());
    }
    now.addAndGet(SECOND / 4);
    assertTrue(bucket.tryTake());
  }

  @Test
  @DisplayName("an idle spell refills the bucket to 1 + burst tokens and no more")
  void capacity() {
    TokenBucket bucket = new TokenBucket(2, 2, now::get);
    take(bucket, 3);
    now.addAndGet(3600 * SECOND);
    assertEquals(List.of(true, true, true, false), take(bucket, 4));
  }

  private static List<Boolean> take(TokenBucket bucket, int times) {
    List<Boolean> passed = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      passed.add(bucket.tryTake());
    }
    return passed;
  }
}
