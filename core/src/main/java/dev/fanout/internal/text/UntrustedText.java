package dev.fanout.internal.text;

/**
 * Makes text that comes from outside Fanout (a registry's error body, reason phrase or headers, a
 * control plane's message, a git ref) inert for the place it is written to: one method per sink.
 * None of them throws, whatever the input.
 *
 * <p>Every sink gets well-formed UTF-16 first: a lone surrogate (half of a character, such as
 * {@code \ud800}) becomes U+FFFD, since an encoder would throw on it or write {@code ?}.
 *
 * <p>The GitHub Actions runner reads workflow commands on standard output and standard error alike;
 * it splits lines at {@code \n} and at a bare {@code \r}, reads {@code ::command::} at the start of
 * a line, and its legacy form {@code ##[command]} anywhere in a line. So text for a log line has
 * its line breaks and control characters replaced, and every {@code ::} and {@code ##[} defused by
 * putting a zero-width space (U+200B) between the two characters that would make them: {@code
 * :\u200B:} and {@code #\u200B#[}. The text still reads as the registry wrote it, and no runner,
 * terminal or log viewer treats it as a command. A look-alike character would have done as well;
 * the zero-width space was chosen because it leaves addresses such as {@code [::1]:5000} and URLs
 * legible.
 */
public final class UntrustedText {

  /** Replaces what cannot be written (a lone surrogate) or shown (a control character). */
  static final char REPLACEMENT = '\uFFFD';

  /** What starts a terminal's escape sequence. */
  private static final char ESCAPE = '\u001B';

  /** Put between two characters so that together they are no longer a command marker. */
  static final char ZERO_WIDTH_SPACE = '\u200B';

  private UntrustedText() {}

  /**
   * Text as well-formed UTF-16: each lone surrogate becomes U+FFFD; nothing else changes.
   *
   * @param text any text, or null
   * @return the text, well formed; empty for null
   */
  public static String wellFormed(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = null;
    for (int index = 0; index < text.length(); index++) {
      char c = text.charAt(index);
      boolean pair =
          Character.isHighSurrogate(c)
              && index + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(index + 1));
      if (pair) {
        if (out != null) {
          out.append(c).append(text.charAt(index + 1));
        }
        index++;
      } else if (Character.isSurrogate(c)) {
        if (out == null) {
          out = new StringBuilder(text.length()).append(text, 0, index);
        }
        out.append(REPLACEMENT);
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  /**
   * Text for one line of a console, a log (SLF4J) or a CI log: line breaks ({@code \r}, {@code \n},
   * U+0085, U+2028, U+2029, vertical tab, form feed) become a space, other control characters (C0,
   * DEL, C1) and the invisible direction overrides become U+FFFD, and {@code ::} and {@code ##[}
   * are defused, so the line can neither start another line nor act as a workflow command.
   *
   * @param text any text, or null
   * @return the line; empty for null
   */
  public static String logLine(String text) {
    return defuseCommands(oneLine(wellFormed(text), " "));
  }

  /**
   * Text for the message of a workflow command ({@code ::error title=...::message}): as {@link
   * #logLine(String)}, but line breaks are kept as the command's escaped {@code %0A}, so an
   * annotation keeps its lines, and {@code %} is escaped as the runner unescapes it.
   *
   * @param text any text, or null
   * @return the escaped message; empty for null
   */
  public static String workflowCommandData(String text) {
    return defuseCommands(oneLine(wellFormed(text), "\n")).replace("%", "%25").replace("\n", "%0A");
  }

  /**
   * Text for a property of a workflow command ({@code title=...}): as {@link
   * #workflowCommandData(String)}, with {@code :} and {@code ,} escaped too, as the runner reads
   * them as the ends of properties.
   *
   * @param text any text, or null
   * @return the escaped property; empty for null
   */
  public static String workflowCommandProperty(String text) {
    return workflowCommandData(text).replace(":", "%3A").replace(",", "%2C");
  }

  /**
   * Text for a cell of a GitHub-flavoured Markdown table, such as a step summary's: a code span,
   * whose content Markdown shows as it is (no link, image, emphasis or HTML, no autolinked
   * address), on one line, with every {@code |} escaped so that it cannot end the cell.
   *
   * @param text any text, or null
   * @return the cell's Markdown; empty for empty text
   */
  public static String markdownCell(String text) {
    String line = oneLine(wellFormed(text), " ").strip();
    if (line.isEmpty()) {
      return "";
    }
    String fence = "`".repeat(longestRun(line, '`') + 1);
    // A space on each side, which Markdown takes away, keeps a backtick at an end from the fence.
    String pad = line.startsWith("`") || line.endsWith("`") ? " " : "";
    // A GFM table cell ends at an unescaped |, even inside a code span; \| shows as | there.
    return fence + pad + line.replace("|", "\\|") + pad + fence;
  }

  /**
   * Text as the content of a JSON string, without the quotes: escaped as RFC 8259 asks, well
   * formed, with U+2028 and U+2029 escaped too so that the JSON is also valid JavaScript.
   *
   * @param text any text, or null
   * @return the escaped content; empty for null
   */
  public static String jsonContent(String text) {
    String value = wellFormed(text);
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int index = 0; index < value.length(); index++) {
      char c = value.charAt(index);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /**
   * Replaces line breaks by {@code lineBreak} (a {@code \r\n} pair by one), drops terminal escape
   * sequences (colours, and the hyperlinks and titles a terminal would act on), and replaces other
   * control and direction-override characters by U+FFFD.
   */
  private static String oneLine(String text, String lineBreak) {
    StringBuilder out = new StringBuilder(text.length());
    for (int index = 0; index < text.length(); index++) {
      char c = text.charAt(index);
      if (c == '\r' && index + 1 < text.length() && text.charAt(index + 1) == '\n') {
        continue;
      }
      if (c == ESCAPE && index + 1 < text.length()) {
        int end = escapeSequenceEnd(text, index);
        if (end > index) {
          index = end;
          continue;
        }
      }
      if (isLineBreak(c)) {
        out.append(lineBreak);
      } else if (c == '\t') {
        out.append(' ');
      } else if (Character.isISOControl(c) || isDirectionControl(c)) {
        out.append(REPLACEMENT);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Where an escape sequence that starts at {@code start} ends: a CSI ({@code ESC [} parameters,
   * then a final character from {@code @} to {@code ~}) or an OSC ({@code ESC ]} up to BEL or
   * {@code ESC \}, or the end of the text).
   *
   * @return the index of its last character, or {@code start} when no such sequence starts there
   */
  private static int escapeSequenceEnd(String text, int start) {
    char kind = text.charAt(start + 1);
    if (kind == '[') {
      for (int index = start + 2; index < text.length(); index++) {
        char c = text.charAt(index);
        if (c >= '@' && c <= '~') {
          return index;
        }
        if (c < ' ' || c > '?') {
          return start;
        }
      }
      return start;
    }
    if (kind == ']') {
      for (int index = start + 2; index < text.length(); index++) {
        char c = text.charAt(index);
        if (c == '\u0007') {
          return index;
        }
        if (c == ESCAPE && index + 1 < text.length() && text.charAt(index + 1) == '\\') {
          return index + 1;
        }
      }
      return text.length() - 1;
    }
    return start;
  }

  private static boolean isLineBreak(char c) {
    return c == '\n'
        || c == '\r'
        || c == '\u000B'
        || c == '\u000C'
        || c == '\u0085'
        || c == '\u2028'
        || c == '\u2029';
  }

  /**
   * The characters that reorder how a line is shown (U+202A to U+202E, U+2066 to U+2069), with
   * which a line can show other text than it holds.
   */
  private static boolean isDirectionControl(char c) {
    return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
  }

  /** Splits every {@code ::} and {@code ##[} with a zero-width space. */
  private static String defuseCommands(String text) {
    if (text.indexOf("::") < 0 && text.indexOf("##[") < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int index = 0; index < text.length(); index++) {
      char c = text.charAt(index);
      out.append(c);
      if (index + 1 < text.length()) {
        char next = text.charAt(index + 1);
        boolean commandColons = c == ':' && next == ':';
        boolean legacyCommand =
            c == '#' && next == '#' && index + 2 < text.length() && text.charAt(index + 2) == '[';
        if (commandColons || legacyCommand) {
          out.append(ZERO_WIDTH_SPACE);
        }
      }
    }
    return out.toString();
  }

  private static int longestRun(String text, char c) {
    int longest = 0;
    int run = 0;
    for (int index = 0; index < text.length(); index++) {
      run = text.charAt(index) == c ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    return longest;
  }
}
