package dev.fanout.dockerhub;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A registry's {@code WWW-Authenticate} challenge, such as {@code Bearer
 * realm="https://auth.docker.io/token",service="registry.docker.io",
 * scope="repository:a/b:pull,push"}.
 * Values may be quoted and a quoted {@code scope} holds commas, so it is parsed character by
 * character rather than split.
 *
 * @param scheme the scheme in lower case: {@code bearer} or {@code basic}
 * @param parameters the parameters by lower-case name, unquoted
 */
record AuthChallenge(String scheme, Map<String, String> parameters) {

  /** Copies the parameters. */
  AuthChallenge {
    parameters = Map.copyOf(parameters);
  }

  /**
   * Parses a challenge.
   *
   * @param header the header's value
   * @return the challenge, or empty when the value has no scheme
   */
  static Optional<AuthChallenge> parse(String header) {
    String text = header.trim();
    int space = text.indexOf(' ');
    String scheme = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
    if (scheme.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> parameters = new HashMap<>();
    int at = space < 0 ? text.length() : space + 1;
    while (at < text.length()) {
      int equals = text.indexOf('=', at);
      if (equals < 0) {
        break;
      }
      String name = text.substring(at, equals).replace(",", "").trim().toLowerCase(Locale.ROOT);
      StringBuilder value = new StringBuilder();
      int next = equals + 1;
      if (next < text.length() && text.charAt(next) == '"') {
        next++;
        while (next < text.length() && text.charAt(next) != '"') {
          if (text.charAt(next) == '\\' && next + 1 < text.length()) {
            next++;
          }
          value.append(text.charAt(next++));
        }
        next++;
      } else {
        while (next < text.length() && text.charAt(next) != ',') {
          value.append(text.charAt(next++));
        }
      }
      parameters.put(name, value.toString().trim());
      at = next;
    }
    return Optional.of(new AuthChallenge(scheme, parameters));
  }

  /**
   * A parameter.
   *
   * @param name its name, in any case
   * @return its value, when present
   */
  Optional<String> parameter(String name) {
    return Optional.ofNullable(parameters.get(name.toLowerCase(Locale.ROOT)));
  }
}
