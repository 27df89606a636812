package dev.fanout.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The run's one image digest")
class ImageDigestTest {

  @Test
  @DisplayName("is unknown until a build or push offers one")
  void unknownAtFirst() {
    assertEquals(Optional.empty(), new ImageDigest().value());
  }

  @Test
  @DisplayName("is the first digest offered: a later, different one does not replace it")
  void firstOfferWins() {
    ImageDigest digest = new ImageDigest();

    assertEquals("sha256:aaa", digest.agree("sha256:aaa"));
    assertEquals("sha256:aaa", digest.agree("sha256:bbb"));
    assertEquals(Optional.of("sha256:aaa"), digest.value());
  }
}
