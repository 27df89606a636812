package dev.fanout.internal.transport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 9110 §11.6.1): a scheme and its
 * parameters.
 *
 * <p>Registries send {@code Bearer realm="...",service="...",scope="..."} (Docker Hub, GHCR,
 * Distribution with token auth) or {@code Basic realm="..."} (htpasswd, ECR). Parameters come in
 * any order, values may be quoted or bare, a quoted {@code scope} holds commas ({@code
 * repository:acme/app:pull,push}) and several scopes separated by spaces, and one header may carry
 * several challenges.
 *
 * @param scheme the scheme, in lower case: {@code basic} or {@code bearer}
 * @param parameters the parameters, names in lower case, values unquoted
 */
record AuthChallenge(String scheme, Map<String, String> parameters) {

  /** The Basic scheme. */
  static final String BASIC = "basic";

  /** The Bearer scheme. */
  static final String BEARER = "bearer";

  /**
   * The first Basic or Bearer challenge of the header values.
   *
   * @param headerValues every {@code WWW-Authenticate} value of a response
   * @return the challenge, or empty when there is none the transport can answer
   */
  static Optional<AuthChallenge> firstSupported(List<String> headerValues) {
    for (String value : headerValues) {
      for (AuthChallenge challenge : parse(value)) {
        if (challenge.scheme.equals(BASIC) || challenge.scheme.equals(BEARER)) {
          return Optional.of(challenge);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Every challenge of one header value.
   *
   * @param header the value
   * @return the challenges in header order
   */
  static List<AuthChallenge> parse(String header) {
    Parser parser = new Parser(header);
    List<AuthChallenge> challenges = new ArrayList<>();
    while (true) {
      parser.skip(" \t,");
      String scheme = parser.token();
      if (scheme.isEmpty()) {
        return challenges;
      }
      Map<String, String> parameters = new LinkedHashMap<>();
      while (true) {
        parser.skip(" \t,");
        int mark = parser.position;
        String name = parser.token();
        parser.skip(" \t");
        if (name.isEmpty() || !parser.consume('=')) {
          parser.position = mark;
          break;
        }
        parser.skip(" \t");
        parameters.putIfAbsent(name.toLowerCase(Locale.ROOT), parser.value());
      }
      challenges.add(
          new AuthChallenge(
              scheme.toLowerCase(Locale.ROOT), Collections.unmodifiableMap(parameters)));
    }
  }

  /**
   * A parameter.
   *
   * @param name its name, in lower case
   * @return its value
   */
  Optional<String> parameter(String name) {
    return Optional.ofNullable(parameters.get(name));
  }

  /**
   * The scopes a Bearer challenge names.
   *
   * @return its {@code scope} parameter split at spaces; none when absent
   */
  List<String> scopes() {
    return parameter("scope").stream()
        .flatMap(scope -> List.of(scope.trim().split(" +")).stream())
        .filter(scope -> !scope.isEmpty())
        .toList();
  }

  /** Reads tokens and values from a header value, left to right. */
  private static final class Parser {

    private final String text;
    private int position;

    Parser(String text) {
      this.text = text;
    }

    void skip(String characters) {
      while (position < text.length() && characters.indexOf(text.charAt(position)) >= 0) {
        position++;
      }
    }

    boolean consume(char expected) {
      if (position < text.length() && text.charAt(position) == expected) {
        position++;
        return true;
      }
      return false;
    }

    String token() {
      int start = position;
      while (position < text.length() && " \t,=\"".indexOf(text.charAt(position)) < 0) {
        position++;
      }
      return text.substring(start, position);
    }

    /** A quoted string (backslash escapes one character) or a bare token. */
    String value() {
      if (!consume('"')) {
        return token();
      }
      StringBuilder value = new StringBuilder();
      while (position < text.length()) {
        char c = text.charAt(position++);
        if (c == '"') {
          return value.toString();
        }
        if (c == '\\' && position < text.length()) {
          c = text.charAt(position++);
        }
        value.append(c);
      }
      return value.toString();
    }
  }
}
