package dev.fanout.dockerhub;

import com.sun.net.httpserver.HttpExchange;
import dev.fanout.testkit.StubServer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A token service like {@code auth.docker.io} on a free port of 127.0.0.1 ({@link StubServer}):
 * {@code GET /token?service=...&scope=...}, HTTP Basic for a user, anonymous otherwise. A user with
 * the right secret is granted every action asked for; an anonymous caller only {@code pull}; a
 * wrong secret gets 401. Tokens are RS256 JWTs made by {@link TokenSigner}, as the registry's
 * {@code auth.token} settings expect (registry-protocols.md §8).
 *
 * <p>Every request is recorded, so tests can assert who asked for what.
 */
final class TestTokenServer implements AutoCloseable {

  /** The issuer the registry is configured to trust. */
  static final String ISSUER = "fanout-test-token-server";

  /** The service name, as Docker Hub's; the registry checks it as the token's audience. */
  static final String SERVICE = "registry.docker.io";

  /** How long a token lives; the registry adds 60 s of leeway. */
  private static final long TOKEN_SECONDS = 300;

  /**
   * One request to the token service.
   *
   * @param user the authenticated user, or empty for an anonymous request
   * @param scopes the scopes asked for
   * @param status the status answered
   */
  record TokenRequest(Optional<String> user, List<String> scopes, int status) {}

  private final StubServer server;
  private final TokenSigner signer;
  private final String username;
  private final String secret;
  private final List<TokenRequest> requests = new CopyOnWriteArrayList<>();

  private TestTokenServer(TokenSigner signer, String username, String secret) throws IOException {
    this.signer = signer;
    this.username = username;
    this.secret = secret;
    this.server = StubServer.start("/token", this::token);
  }

  /**
   * Starts a token service that knows one user.
   *
   * @param signer the key and certificate
   * @param username the user
   * @param secret the user's token
   */
  static TestTokenServer start(TokenSigner signer, String username, String secret)
      throws IOException {
    return new TestTokenServer(signer, username, secret);
  }

  /** The realm, as a registry names it in its challenge. */
  String realm() {
    return server.url() + "/token";
  }

  /** Every request so far. */
  List<TokenRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.close();
  }

  private void token(HttpExchange exchange) throws IOException {
    try (exchange) {
      List<String> scopes = new ArrayList<>();
      String query = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
      for (String pair : query.split("&")) {
        int equals = pair.indexOf('=');
        if (equals > 0 && pair.substring(0, equals).equals("scope")) {
          scopes.add(URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
      }
      Optional<String> authorization =
          Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"));
      Optional<String> user = Optional.empty();
      if (authorization.isPresent()) {
        String decoded = basicUserAndSecret(authorization.get());
        if (!decoded.equals(username + ":" + secret)) {
          requests.add(new TokenRequest(Optional.of(decoded.split(":", 2)[0]), scopes, 401));
          send(exchange, 401, "{\"details\":\"incorrect username or password\"}");
          return;
        }
        user = Optional.of(username);
      }
      requests.add(new TokenRequest(user, scopes, 200));
      String token = signer.sign(claims(user, scopes));
      send(
          exchange,
          200,
          "{\"token\":\"" + token + "\",\"access_token\":\"" + token + "\",\"expires_in\":"
              + TOKEN_SECONDS + ",\"issued_at\":\"" + Instant.now() + "\"}");
    }
  }

  private static String basicUserAndSecret(String authorization) {
    if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return "";
    }
    return new String(
        Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
  }

  private static String claims(Optional<String> user, List<String> scopes) {
    long now = Instant.now().getEpochSecond();
    String access =
        scopes.stream()
            .map(scope -> accessEntry(scope, user.isPresent()))
            .collect(Collectors.joining(",", "[", "]"));
    return "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + user.orElse("") + "\",\"aud\":\"" + SERVICE
        + "\",\"exp\":" + (now + TOKEN_SECONDS) + ",\"nbf\":" + (now - 10) + ",\"iat\":" + now
        + ",\"jti\":\"" + UUID.randomUUID() + "\",\"access\":" + access + "}";
  }

  /** {@code repository:acme/app:pull,push} → the JWT's access entry, pull only for anonymous. */
  private static String accessEntry(String scope, boolean authenticated) {
    int first = scope.indexOf(':');
    int last = scope.lastIndexOf(':');
    String type = scope.substring(0, first);
    String name = scope.substring(first + 1, last);
    List<String> actions = List.of(scope.substring(last + 1).split(","));
    String granted =
        actions.stream()
            .filter(action -> authenticated || action.equals("pull"))
            .map(action -> "\"" + action + "\"")
            .collect(Collectors.joining(","));
    return "{\"type\":\"" + type + "\",\"name\":\"" + name + "\",\"actions\":[" + granted + "]}";
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    StubServer.send(exchange, status, "application/json", json);
  }
}
