package dev.fanout.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RegistryTextTest {

  @Test
  @DisplayName("line breaks of every kind and other control characters become one space")
  void lineBreaks() {
    assertEquals(
        "a b c d e f g",
        RegistryText.neutralise(
            "a\r\nb\nc\u0085d\u2028e\u2029f\u001b[31mg".replace("[31m", ""), List.of()));
  }

  @Test
  @DisplayName("GitHub Actions workflow commands are broken up")
  void workflowCommands() {
    String safe = RegistryText.neutralise("x\n::warning::pwned\n##[error]pwned ::::", List.of());

    assertFalse(safe.contains("::"), safe);
    assertFalse(safe.contains("##["), safe);
    assertEquals("x : :warning: :pwned # #[error]pwned : : : :", safe);
  }

  @Test
  @DisplayName("bidirectional overrides and zero-width characters become spaces")
  void formatCharacters() {
    assertEquals("a b c d", RegistryText.neutralise("a\u202Eb\u200Bc d", List.of()));
  }

  @Test
  @DisplayName("text is cut to 200 characters and every secret is masked")
  void cutAndMasked() {
    String safe = RegistryText.neutralise("token=abc123 " + "x".repeat(500), List.of("abc123"));

    assertTrue(safe.startsWith("token=**** x"), safe);
    assertEquals(RegistryText.MAX_LENGTH + "...".length(), safe.length());
    assertTrue(safe.endsWith("..."));
  }
}
