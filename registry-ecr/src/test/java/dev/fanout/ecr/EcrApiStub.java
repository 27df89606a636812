package dev.fanout.ecr;

import com.sun.net.httpserver.HttpExchange;
import dev.fanout.testkit.StubServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the ECR API on a loopback port, speaking its JSON 1.1 protocol (registry-protocols
 * §3.2) for the three calls the backend makes. It hands out a registry token whose password is a
 * real local registry's htpasswd password, with that registry as the {@code proxyEndpoint}, and
 * counts every call.
 */
final class EcrApiStub implements AutoCloseable {

  static final String GET_AUTHORIZATION_TOKEN = "GetAuthorizationToken";
  static final String DESCRIBE_REPOSITORIES = "DescribeRepositories";
  static final String CREATE_REPOSITORY = "CreateRepository";

  private static final String TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921.";
  private static final Pattern REPOSITORY_NAME = Pattern.compile("\"repositoryName\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern REPOSITORY_NAMES =
      Pattern.compile("\"repositoryNames\"\\s*:\\s*\\[\\s*\"([^\"]+)\"");

  private final StubServer server;
  private final String account;
  private final String region;
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final List<String> createBodies = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final Set<String> repositories = ConcurrentHashMap.newKeySet();
  private final Deque<String> scriptedErrors = new ArrayDeque<>();
  private final Map<String, String> refusals = new ConcurrentHashMap<>();
  private volatile String password;
  private volatile String proxyEndpoint;
  private volatile Duration tokenLife = Duration.ofHours(12);
  private volatile boolean createRaces;
  private String firstPassword;

  private EcrApiStub(String account, String region) throws IOException {
    this.account = account;
    this.region = region;
    this.server = StubServer.start("/", this::handle);
  }

  /**
   * A stub for one registry.
   *
   * @param account the registry's account
   * @param region its region
   * @param password the token's password, the local registry's htpasswd password for user AWS
   * @param proxyEndpoint the endpoint handed out with the token
   */
  static EcrApiStub start(String account, String region, String password, String proxyEndpoint)
      throws IOException {
    EcrApiStub stub = new EcrApiStub(account, region);
    stub.password = password;
    stub.proxyEndpoint = proxyEndpoint;
    return stub;
  }

  /** The URL to set as {@code AWS_ENDPOINT_URL_ECR}. */
  String endpoint() {
    return server.url();
  }

  /** Makes the named repository exist. */
  EcrApiStub withRepository(String name) {
    repositories.add(name);
    return this;
  }

  /** Hands out tokens that expire this long after they are issued. */
  EcrApiStub tokenLife(Duration life) {
    this.tokenLife = life;
    return this;
  }

  /** Answers CreateRepository as if another client created the repository first. */
  EcrApiStub createRaces() {
    this.createRaces = true;
    return this;
  }

  /** Answers the next call with this ECR error code (HTTP 400) instead of serving it. */
  synchronized EcrApiStub failNextCallWith(String errorCode) {
    scriptedErrors.add(errorCode);
    return this;
  }

  /**
   * Refuses every call of an operation with an IAM error, as ECR answers a role without the
   * permission.
   */
  EcrApiStub refuse(String operation, String errorCode) {
    refusals.put(operation, errorCode);
    return this;
  }

  /** Changes the password of the tokens handed out from now on. */
  EcrApiStub password(String password) {
    this.password = password;
    return this;
  }

  /** Hands out one token with this password first, then the usual one again. */
  synchronized EcrApiStub firstPassword(String first) {
    this.firstPassword = first;
    return this;
  }

  /** How many times an operation was called. */
  int calls(String operation) {
    AtomicInteger count = calls.get(operation);
    return count == null ? 0 : count.get();
  }

  /** The bodies of the CreateRepository requests, as sent. */
  List<String> createBodies() {
    return createBodies;
  }

  /** The Authorization headers received (SigV4, naming the access key id). */
  List<String> authorizations() {
    return authorizations;
  }

  /** Whether the repository exists now. */
  boolean hasRepository(String name) {
    return repositories.contains(name);
  }

  @Override
  public void close() {
    server.close();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization != null) {
        authorizations.add(authorization);
      }
      if (target == null || !target.startsWith(TARGET_PREFIX)) {
        send(exchange, 400, error("UnknownOperationException", "no X-Amz-Target"));
        return;
      }
      String operation = target.substring(TARGET_PREFIX.length());
      calls.computeIfAbsent(operation, key -> new AtomicInteger()).incrementAndGet();
      String refusal = refusals.get(operation);
      if (refusal != null) {
        send(
            exchange,
            400,
            error(
                refusal,
                "User: arn:aws:sts::"
                    + account
                    + ":assumed-role/push-only/ci is not authorized to perform: ecr:"
                    + operation));
        return;
      }
      String scripted = nextScriptedError();
      if (scripted != null) {
        send(exchange, 400, error(scripted, "scripted " + scripted));
        return;
      }
      switch (operation) {
        case GET_AUTHORIZATION_TOKEN -> send(exchange, 200, token());
        case DESCRIBE_REPOSITORIES -> describe(exchange, body);
        case CREATE_REPOSITORY -> create(exchange, body);
        default -> send(exchange, 400, error("UnknownOperationException", operation));
      }
    }
  }

  private synchronized String nextScriptedError() {
    return scriptedErrors.poll();
  }

  private synchronized String nextPassword() {
    String next = firstPassword != null ? firstPassword : password;
    firstPassword = null;
    return next;
  }

  private String token() {
    String token =
        Base64.getEncoder().encodeToString(("AWS:" + nextPassword()).getBytes(StandardCharsets.UTF_8));
    double expiresAt = Instant.now().plus(tokenLife).toEpochMilli() / 1000.0;
    return "{\"authorizationData\":[{\"authorizationToken\":\""
        + token
        + "\",\"expiresAt\":"
        + expiresAt
        + ",\"proxyEndpoint\":\""
        + proxyEndpoint
        + "\"}]}";
  }

  private void describe(HttpExchange exchange, String body) throws IOException {
    String name = group(REPOSITORY_NAMES, body);
    if (!repositories.contains(name)) {
      send(
          exchange,
          400,
          error(
              "RepositoryNotFoundException",
              "The repository with name '"
                  + name
                  + "' does not exist in the registry with id '"
                  + account
                  + "'"));
      return;
    }
    send(exchange, 200, "{\"repositories\":[" + repository(name) + "]}");
  }

  private void create(HttpExchange exchange, String body) throws IOException {
    createBodies.add(body);
    String name = group(REPOSITORY_NAME, body);
    if (createRaces) {
      repositories.add(name);
    }
    if (!repositories.add(name)) {
      send(
          exchange,
          400,
          error(
              "RepositoryAlreadyExistsException",
              "The repository with name '" + name + "' already exists in the registry with id '" + account + "'"));
      return;
    }
    send(exchange, 200, "{\"repository\":" + repository(name) + "}");
  }

  private String repository(String name) {
    return "{\"repositoryArn\":\"arn:aws:ecr:"
        + region
        + ":"
        + account
        + ":repository/"
        + name
        + "\",\"registryId\":\""
        + account
        + "\",\"repositoryName\":\""
        + name
        + "\",\"repositoryUri\":\""
        + account
        + ".dkr.ecr."
        + region
        + ".amazonaws.com/"
        + name
        + "\",\"createdAt\":1.7647E9,\"imageTagMutability\":\"MUTABLE\","
        + "\"imageScanningConfiguration\":{\"scanOnPush\":false},"
        + "\"encryptionConfiguration\":{\"encryptionType\":\"AES256\"}}";
  }

  private static String group(Pattern pattern, String body) {
    Matcher matcher = pattern.matcher(body);
    return matcher.find() ? matcher.group(1) : "";
  }

  private static String error(String code, String message) {
    return "{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}";
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    StubServer.send(exchange, status, "application/x-amz-json-1.1", body);
  }
}
