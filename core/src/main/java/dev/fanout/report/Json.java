package dev.fanout.report;

import java.util.List;

/** The few JSON pieces the report needs, written by hand so that core needs no JSON library. */
final class Json {

  private Json() {}

  /**
   * A JSON string, escaped as RFC 8259 asks.
   *
   * @param value the text, or null for {@code null}
   * @return the literal
   */
  static String string(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder text = new StringBuilder("\"");
    for (int index = 0; index < value.length(); index++) {
      char c = value.charAt(index);
      switch (c) {
        case '"' -> text.append("\\\"");
        case '\\' -> text.append("\\\\");
        case '\n' -> text.append("\\n");
        case '\r' -> text.append("\\r");
        case '\t' -> text.append("\\t");
        default -> {
          if (c < 0x20) {
            text.append(String.format("\\u%04x", (int) c));
          } else {
            text.append(c);
          }
        }
      }
    }
    return text.append('"').toString();
  }

  /**
   * A JSON array of strings on one line.
   *
   * @param values the strings
   * @return the literal
   */
  static String strings(List<String> values) {
    return "[" + String.join(", ", values.stream().map(Json::string).toList()) + "]";
  }
}
