package dev.fanout.report;

import dev.fanout.internal.text.UntrustedText;
import java.util.List;

/** The few JSON pieces the report needs, written by hand so that core needs no JSON library. */
final class Json {

  private Json() {}

  /**
   * A JSON string, escaped as RFC 8259 asks. Whatever the text holds (a lone surrogate or a control
   * character in a registry's message), the literal is valid JSON.
   *
   * @param value the text, or null for {@code null}
   * @return the literal
   */
  static String string(String value) {
    return value == null ? "null" : "\"" + UntrustedText.jsonContent(value) + "\"";
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
