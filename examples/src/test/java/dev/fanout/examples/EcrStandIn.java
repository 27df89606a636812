package dev.fanout.examples;

import com.sun.net.httpserver.HttpExchange;
import dev.fanout.testkit.StubServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The ECR API on a loopback port, for the two calls the ECR backend makes before a push to an
 * existing repository: {@code GetAuthorizationToken} hands out a token for user {@code AWS} whose
 * password is a local registry's, with that registry as its endpoint, and {@code
 * DescribeRepositories} says the repository exists. The real AWS SDK client talks to it.
 *
 * <p>CI runs this file on its own, as a single-file program, for the JBang script's end-to-end
 * run: {@code java EcrStandIn.java <password> <registry host>} prints the endpoint and serves
 * until it is stopped.
 */
final class EcrStandIn implements AutoCloseable {

  private static final String TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921.";

  private final StubServer server;
  private final String password;
  private final String registryHost;

  private EcrStandIn(String password, String registryHost) throws IOException {
    this.password = password;
    this.registryHost = registryHost;
    this.server = StubServer.start("/", this::handle);
  }

  /**
   * Starts the stand-in.
   *
   * @param password the password the token carries, the local registry's for user AWS
   * @param registryHost the local registry, handed out as the token's endpoint
   * @return the running stand-in
   */
  static EcrStandIn start(String password, String registryHost) throws IOException {
    return new EcrStandIn(password, registryHost);
  }

  /**
   * Serves until the process is stopped.
   *
   * @param args the token's password and the registry host it points at
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: java EcrStandIn.java <password> <registry host:port>");
      System.exit(2);
    }
    System.out.println(start(args[0], args[1]).endpoint());
  }

  /** The URL for {@code AWS_ENDPOINT_URL_ECR}. */
  String endpoint() {
    return server.url();
  }

  @Override
  public void close() {
    server.close();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
      switch (target.substring(Math.min(target.length(), TARGET_PREFIX.length()))) {
        case "GetAuthorizationToken" -> send(exchange, 200, token());
        case "DescribeRepositories" ->
            send(exchange, 200, "{\"repositories\":[{\"repositoryName\":\"acme/fanout-hello\"}]}");
        default -> send(exchange, 400, "{\"__type\":\"UnknownOperationException\"}");
      }
    }
  }

  private String token() {
    String token =
        Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8));
    long expiresAt = Instant.now().plus(Duration.ofHours(12)).getEpochSecond();
    return "{\"authorizationData\":[{\"authorizationToken\":\""
        + token
        + "\",\"expiresAt\":"
        + expiresAt
        + ",\"proxyEndpoint\":\"http://"
        + registryHost
        + "\"}]}";
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    StubServer.send(exchange, status, "application/x-amz-json-1.1", body);
  }
}
