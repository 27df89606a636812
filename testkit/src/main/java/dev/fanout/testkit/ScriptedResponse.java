package dev.fanout.testkit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A response a {@link FaultInjectingProxy} sends instead of forwarding a request, such as ECR's 400
 * {@code TAG_INVALID} for an immutable tag or Docker Hub's pull-limit 429 with its own headers. The
 * proxy adds {@code Content-Length} and sends no body to a {@code HEAD} request.
 *
 * @param status the status code, 200 to 599
 * @param headers the header fields, sent in this map's iteration order; none of the framing fields
 *     the proxy writes itself ({@code Content-Length}, {@code Transfer-Encoding}, {@code
 *     Connection})
 * @param body the body, sent as UTF-8; empty for none
 */
public record ScriptedResponse(int status, Map<String, String> headers, String body) {

  /** Fields that frame the message: the proxy writes them, so a script must not. */
  private static final Set<String> FRAMING =
      Set.of("content-length", "transfer-encoding", "connection");

  /**
   * Checks the fields and keeps the headers' order.
   *
   * @param status the status code, 200 to 599
   * @param headers the header fields, without framing fields
   * @param body the body, sent as UTF-8
   */
  public ScriptedResponse {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("status must be 200 to 599: " + status);
    }
    Objects.requireNonNull(body, "body");
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    headers.forEach(ScriptedResponse::requireField);
  }

  /**
   * A response with a JSON body, the way registries send errors and documents.
   *
   * @param status the status code, 200 to 599
   * @param json the body
   * @return the response, with {@code Content-Type: application/json; charset=utf-8}
   */
  public static ScriptedResponse json(int status, String json) {
    return new ScriptedResponse(
        status, Map.of("Content-Type", "application/json; charset=utf-8"), json);
  }

  /**
   * This response with one more header field, or with that field's value replaced.
   *
   * @param name the field name
   * @param value the field value
   * @return a new response
   */
  public ScriptedResponse withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new ScriptedResponse(status, more, body);
  }

  /**
   * Rejects a header field that would break the response: a framing field, or a name or value that
   * could end the line.
   */
  static void requireField(String name, String value) {
    if (name.isEmpty() || !name.chars().allMatch(c -> c > ' ' && c < 127 && c != ':')) {
      throw new IllegalArgumentException("not a header field name: '" + name + "'");
    }
    if (FRAMING.contains(name.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(name + " is written by the proxy itself");
    }
    if (value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
      throw new IllegalArgumentException("the value of " + name + " holds a line break");
    }
  }
}
