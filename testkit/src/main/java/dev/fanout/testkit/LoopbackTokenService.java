package dev.fanout.testkit;

import com.sun.net.httpserver.HttpExchange;
import dev.fanout.testkit.TokenAuth;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A token service on 127.0.0.1 for a token-auth {@code LocalRegistry}, as registry-protocols.md §8
 * describes: RS256 JWTs signed with a key made by {@code keytool}, the certificate in each token's
 * {@code x5c} and in the registry's root bundle. The one user with the right secret gets every
 * action asked for, an anonymous caller only {@code pull}, a wrong secret 401. Every request is
 * recorded.
 *
 * <p>Use it with {@link LocalRegistry#withTokenAuth(TokenAuth)}: {@code
 * LocalRegistry.withTokenAuth(service.auth())}.
 */
public final class LoopbackTokenService implements AutoCloseable {

  private static final String ISSUER = "fanout-testkit";
  private static final String SERVICE = "registry.test";
  private static final String STORE_PASSWORD = "testkit-token-store";

  /**
   * One token request.
   *
   * @param user the user, empty when anonymous
   * @param scopes the scopes asked for
   */
  public record Request(Optional<String> user, List<String> scopes) {}

  private final StubServer server;
  private final PrivateKey key;
  private final X509Certificate certificate;
  private final String username;
  private final String secret;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  /**
   * Starts the service on a free loopback port.
   *
   * @param username the one user it knows
   * @param secret that user's secret
   * @throws Exception when the key cannot be made or the server cannot start
   */
  public LoopbackTokenService(String username, String secret) throws Exception {
    this.username = username;
    this.secret = secret;
    Path folder = Files.createTempDirectory("fanout-token-key-");
    Path store = folder.resolve("token.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "token",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-sigalg",
                "SHA256withRSA",
                "-dname",
                "CN=fanout testkit",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                STORE_PASSWORD,
                "-keypass",
                STORE_PASSWORD)
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(in, STORE_PASSWORD.toCharArray());
      key = (PrivateKey) keyStore.getKey("token", STORE_PASSWORD.toCharArray());
      certificate = (X509Certificate) keyStore.getCertificate("token");
    } finally {
      Files.deleteIfExists(store);
      Files.deleteIfExists(folder);
    }
    server = StubServer.start("/token", this::token);
  }

  /**
   * What the registry needs to trust this service.
   *
   * @return the realm, service, issuer and certificate for {@link LocalRegistry#withTokenAuth}
   * @throws GeneralSecurityException when the certificate cannot be encoded
   */
  public TokenAuth auth() throws GeneralSecurityException {
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    return new TokenAuth(
        server.url() + "/token", SERVICE, ISSUER, pem);
  }

  /**
   * Every token request so far, in order.
   *
   * @return the requests
   */
  public List<Request> requests() {
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
        if (pair.startsWith("scope=")) {
          scopes.add(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8));
        }
      }
      Optional<String> user = Optional.empty();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization != null) {
        String pair =
            new String(
                Base64.getDecoder().decode(authorization.substring(6).trim()),
                StandardCharsets.UTF_8);
        if (!pair.equals(username + ":" + secret)) {
          requests.add(new Request(Optional.of(pair.split(":", 2)[0]), scopes));
          send(exchange, 401, "{\"details\":\"incorrect username or password\"}");
          return;
        }
        user = Optional.of(username);
      }
      requests.add(new Request(user, scopes));
      send(
          exchange,
          200,
          "{\"access_token\":\"" + sign(claims(user, scopes)) + "\",\"expires_in\":300}");
    }
  }

  private static String claims(Optional<String> user, List<String> scopes) {
    long now = Instant.now().getEpochSecond();
    String access =
        scopes.stream()
            .map(
                scope -> {
                  int first = scope.indexOf(':');
                  int last = scope.lastIndexOf(':');
                  String actions =
                      List.of(scope.substring(last + 1).split(",")).stream()
                          .filter(action -> user.isPresent() || action.equals("pull"))
                          .map(action -> "\"" + action + "\"")
                          .collect(Collectors.joining(","));
                  return "{\"type\":\""
                      + scope.substring(0, first)
                      + "\",\"name\":\""
                      + scope.substring(first + 1, last)
                      + "\",\"actions\":["
                      + actions
                      + "]}";
                })
            .collect(Collectors.joining(",", "[", "]"));
    return "{\"iss\":\""
        + ISSUER
        + "\",\"sub\":\""
        + user.orElse("")
        + "\",\"aud\":\""
        + SERVICE
        + "\",\"exp\":"
        + (now + 300)
        + ",\"nbf\":"
        + (now - 10)
        + ",\"iat\":"
        + now
        + ",\"jti\":\""
        + UUID.randomUUID()
        + "\",\"access\":"
        + access
        + "}";
  }

  private String sign(String claims) {
    try {
      String header =
          "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5c\":[\""
              + Base64.getEncoder().encodeToString(certificate.getEncoded())
              + "\"]}";
      Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
      String input =
          url.encodeToString(header.getBytes(StandardCharsets.UTF_8))
              + "."
              + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key);
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + url.encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    StubServer.send(exchange, status, "application/json", json);
  }
}
