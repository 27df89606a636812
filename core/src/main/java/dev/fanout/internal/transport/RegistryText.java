package dev.fanout.internal.transport;

import java.util.Collection;

/**
 * Makes text that a registry sent safe to put in a one-line message: a registry is untrusted, and
 * its text ends up in logs and in CI annotations.
 */
final class RegistryText {

  /** How much of a registry's text a message keeps. */
  static final int MAX_LENGTH = 200;

  private RegistryText() {}

  /**
   * Neutralises registry text: control and format characters (line breaks of every kind, escape
   * sequences, bidirectional overrides) become spaces, runs of spaces collapse, GitHub Actions
   * workflow commands ({@code ::warning::}, {@code ##[}) are broken up, every secret is masked and
   * the result is cut to {@value #MAX_LENGTH} characters.
   *
   * @param text the registry's text
   * @param secrets values that must never appear (a password, a token)
   * @return one safe line
   */
  static String neutralise(String text, Collection<String> secrets) {
    String masked = text;
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        masked = masked.replace(secret, "****");
      }
    }
    StringBuilder line = new StringBuilder(Math.min(masked.length(), MAX_LENGTH + 1));
    boolean space = false;
    for (int i = 0; i < masked.length() && line.length() <= MAX_LENGTH; i++) {
      char c = masked.charAt(i);
      if (isUnsafe(c) || Character.isWhitespace(c)) {
        space = line.length() > 0;
        continue;
      }
      if (space) {
        line.append(' ');
        space = false;
      }
      line.append(c);
    }
    String safe = line.toString();
    while (safe.contains("::") || safe.contains("##[")) {
      safe = safe.replace("::", ": :").replace("##[", "# #[");
    }
    return safe.length() > MAX_LENGTH ? safe.substring(0, MAX_LENGTH) + "..." : safe;
  }

  private static boolean isUnsafe(char c) {
    int type = Character.getType(c);
    return Character.isISOControl(c)
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }
}
