package dev.fanout.internal.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Names of entries inside an archive or layout, and the paths that {@code manifest.json} and {@code
 * index.json} give: which are safe to follow, and how to show them. A name is safe when it stays
 * inside the archive: relative, without a {@code ..} segment, without a backslash (a path separator
 * on Windows).
 */
final class ArchiveNames {

  /** Longest quoted text kept in a message; an archive can hold names of any length. */
  private static final int QUOTED_LIMIT = 160;

  private ArchiveNames() {}

  /**
   * What is wrong with a name, if anything.
   *
   * @param name an entry name or a path from an archive's manifest
   * @return a sentence fragment such as {@code "is an absolute path"}, or empty when safe
   */
  static Optional<String> problem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("is empty");
    }
    if (name.startsWith("/")) {
      return Optional.of("is an absolute path");
    }
    if (name.indexOf('\\') >= 0) {
      return Optional.of("contains a backslash");
    }
    if (name.indexOf('\0') >= 0) {
      return Optional.of("contains a NUL character");
    }
    for (String segment : name.split("/", -1)) {
      if (segment.equals("..")) {
        return Optional.of("has a '..' segment");
      }
    }
    return Optional.empty();
  }

  /**
   * The one spelling of a safe name: without {@code .} segments, empty segments or a trailing
   * slash, so that {@code ./blobs//sha256/x} and {@code blobs/sha256/x} are the same entry.
   *
   * @param name a name for which {@link #problem} is empty
   * @return the normalized name
   */
  static String normalize(String name) {
    List<String> kept = new ArrayList<>();
    for (String segment : name.split("/")) {
      if (!segment.isEmpty() && !segment.equals(".")) {
        kept.add(segment);
      }
    }
    return String.join("/", kept);
  }

  /**
   * Text from an archive, made fit for a message: quoted, control and invisible formatting
   * characters escaped as {@code \}{@code uXXXX}, cut when long. The archive is untrusted; its
   * names must not break a log line or fake another one.
   *
   * @param text the text
   * @return the quoted text
   */
  static String quote(String text) {
    return "'" + escape(text).replace("'", "\\u0027") + "'";
  }

  /**
   * Text from an archive or a library's message about it, with control and invisible formatting
   * characters escaped and cut when long, but not quoted.
   *
   * @param text the text
   * @return the escaped text
   */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder quoted = new StringBuilder();
    int end = Math.min(text.length(), QUOTED_LIMIT);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      int type = Character.getType(c);
      if (Character.isISOControl(c)
          || type == Character.FORMAT
          || type == Character.SURROGATE
          || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR) {
        quoted.append(String.format("\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    if (text.length() > QUOTED_LIMIT) {
      quoted.append("...");
    }
    return quoted.toString();
  }
}
