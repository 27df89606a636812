package dev.fanout.maven;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.fanout.testkit.TokenAuth;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The token server of a token-auth {@code LocalRegistry} (Distribution's bearer-token mode, as
 * Docker Hub runs it), on 127.0.0.1: RS256 JWTs signed with a key {@code keytool} makes, whose
 * certificate goes in each token's {@code x5c} and in the registry's root bundle. The one user with
 * the right secret gets every action asked for; anyone else gets 401.
 *
 * <p>The transport and end-to-end tests in testkit have their own; test classes of another module
 * cannot be shared.
 */
final class TokenServer implements AutoCloseable {

  private static final String ISSUER = "fanout-maven-plugin-it";
  private static final String SERVICE = "registry.test";
  private static final String STORE_PASSWORD = "maven-plugin-it-store";

  private final HttpServer server;
  private final PrivateKey key;
  private final X509Certificate certificate;
  private final String expectedBasic;

  /**
   * Makes the signing key and starts serving {@code /token} on a free loopback port.
   *
   * @param username the only user
   * @param secret that user's password
   * @throws Exception when keytool or the server fails
   */
  TokenServer(String username, String secret) throws Exception {
    this.expectedBasic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
    Path folder = Files.createTempDirectory("fanout-it-token-key-");
    Path store = folder.resolve("token.p12");
    try {
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
                  "CN=fanout maven plugin it",
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
      }
    } finally {
      Files.deleteIfExists(store);
      Files.deleteIfExists(folder);
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", this::token);
    server.start();
  }

  /**
   * What the registry needs to send clients here and to trust the tokens.
   *
   * @return the realm, service, issuer and certificate
   * @throws GeneralSecurityException when the certificate cannot be encoded
   */
  TokenAuth auth() throws GeneralSecurityException {
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    return new TokenAuth(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/token", SERVICE, ISSUER, pem);
  }

  /** Stops serving. */
  @Override
  public void close() {
    server.stop(0);
  }

  private void token(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!expectedBasic.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        send(exchange, 401, "{\"details\":\"incorrect username or password\"}");
        return;
      }
      List<String> scopes = new ArrayList<>();
      String query = exchange.getRequestURI().getRawQuery();
      for (String pair : query == null ? new String[0] : query.split("&")) {
        if (pair.startsWith("scope=")) {
          scopes.add(URLDecoder.decode(pair.substring("scope=".length()), StandardCharsets.UTF_8));
        }
      }
      send(exchange, 200, "{\"access_token\":\"" + sign(claims(scopes)) + "\",\"expires_in\":300}");
    }
  }

  /** Grants every action of every scope, {@code repository:NAME:ACTION,...}. */
  private static String claims(List<String> scopes) {
    long now = Instant.now().getEpochSecond();
    String access =
        scopes.stream()
            .map(
                scope -> {
                  int first = scope.indexOf(':');
                  int last = scope.lastIndexOf(':');
                  String actions =
                      List.of(scope.substring(last + 1).split(",")).stream()
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
        + "\",\"sub\":\"it\",\"aud\":\""
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
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
