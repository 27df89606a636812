package dev.fanout.gar;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import dev.fanout.testkit.StubServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google's side of a push, on 127.0.0.1: the OAuth2 token endpoint a service account key's {@code
 * token_uri} points at, and the Artifact Registry API's REST paths (registry-protocols.md §4) as
 * the generated client's HTTP/JSON transport calls them (query {@code $alt=json;enum-encoding=int},
 * numeric enums in request bodies, {@code @type} on an operation's response). The token endpoint
 * checks the RS256 signature of google-auth's JWT with the key's public half.
 */
final class GoogleStub implements AutoCloseable {

  static final String GET = "get";
  static final String CREATE = "create";
  static final String OPERATION = "operation";

  private static final Pattern REPOSITORY =
      Pattern.compile("/v1/(projects/[^/]+/locations/[^/]+)/repositories/([^/]+)");
  private static final Pattern REPOSITORIES =
      Pattern.compile("/v1/(projects/[^/]+/locations/[^/]+)/repositories");
  private static final Pattern OPERATION_PATH =
      Pattern.compile("/v1/projects/[^/]+/locations/[^/]+/operations/[^/]+");

  private final StubServer server;
  private final PublicKey signer;
  private final List<String> tokens = new CopyOnWriteArrayList<>();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private final List<String> scopes = new CopyOnWriteArrayList<>();
  private volatile Duration tokenLife = Duration.ofHours(1);
  private final Map<String, String[]> repositories = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<String> createRequests = new CopyOnWriteArrayList<>();
  private final List<Integer> scriptedGetStatuses = new CopyOnWriteArrayList<>();
  private volatile boolean denyReads;
  private volatile boolean denyCreates;
  private volatile boolean apiDisabled;
  private volatile boolean createPending;
  private volatile boolean createRaces;
  private final List<String> queries = new CopyOnWriteArrayList<>();
  private final List<String> quotaProjects = new CopyOnWriteArrayList<>();

  private GoogleStub(PublicKey signer) throws IOException {
    this.signer = signer;
    this.server = StubServer.start("/", this::handle);
  }

  /**
   * Starts the stub.
   *
   * @param signer the public half of the service account key whose JWTs the token endpoint takes
   * @param token the access token it issues
   * @return the running stub
   * @throws IOException when no port is free
   */
  static GoogleStub start(PublicKey signer, String token) throws IOException {
    GoogleStub stub = new GoogleStub(signer);
    stub.tokens.add(token);
    return stub;
  }

  String endpoint() {
    return server.url();
  }

  URI tokenUri() {
    return URI.create(endpoint() + "/token");
  }

  /** The tokens to issue, in order; the last one repeats. */
  GoogleStub issue(String... values) {
    tokens.clear();
    tokens.addAll(List.of(values));
    return this;
  }

  GoogleStub tokenLife(Duration life) {
    this.tokenLife = life;
    return this;
  }

  GoogleStub withRepository(String resource, String format, String mode) {
    repositories.put(resource, new String[] {format, mode});
    return this;
  }

  GoogleStub withDockerRepository(String resource) {
    return withRepository(resource, "DOCKER", "STANDARD_REPOSITORY");
  }

  /** Answers every repository read with 403 PERMISSION_DENIED. */
  GoogleStub denyReads() {
    denyReads = true;
    return this;
  }

  /** Answers every creation with 403 PERMISSION_DENIED. */
  GoogleStub denyCreates() {
    denyCreates = true;
    return this;
  }

  /** Answers every API call as Google does in a project where the API is not enabled. */
  GoogleStub disableApi() {
    apiDisabled = true;
    return this;
  }

  /** The next repository reads answer these statuses, before the normal answer. */
  GoogleStub failReads(Integer... statuses) {
    scriptedGetStatuses.addAll(List.of(statuses));
    return this;
  }

  /** A creation answers with an operation that is not done; the first look at it finds it done. */
  GoogleStub createPending() {
    createPending = true;
    return this;
  }

  /**
   * A creation answers with an operation that is not done, and the look at it finds that another
   * client created the repository first: the operation ends in error code 6, ALREADY_EXISTS.
   */
  GoogleStub createRaces() {
    createRaces = true;
    createPending = true;
    return this;
  }

  /** The raw query of every API request, in order. */
  List<String> queries() {
    return queries;
  }

  /** The {@code x-goog-user-project} header of every API request ("null" when absent). */
  List<String> quotaProjects() {
    return quotaProjects;
  }

  boolean hasRepository(String resource) {
    return repositories.containsKey(resource);
  }

  int tokenRequests() {
    return tokenRequests.get();
  }

  List<String> scopes() {
    return scopes;
  }

  int calls(String kind) {
    return calls.computeIfAbsent(kind, key -> new AtomicInteger()).get();
  }

  List<String> authorizations() {
    return authorizations;
  }

  /** Each creation request as "query body". */
  List<String> createRequests() {
    return createRequests;
  }

  @Override
  public void close() {
    server.close();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (method.equals("POST") && path.equals("/token")) {
        token(exchange, body);
        return;
      }
      authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      quotaProjects.add(
          String.valueOf(exchange.getRequestHeaders().getFirst("x-goog-user-project")));
      queries.add(String.valueOf(exchange.getRequestURI().getRawQuery()));
      if (apiDisabled) {
        send(exchange, 403, serviceDisabled());
        return;
      }
      Matcher repository = REPOSITORY.matcher(path);
      Matcher repositories = REPOSITORIES.matcher(path);
      if (method.equals("GET") && repository.matches()) {
        count(GET);
        read(exchange, repository.group(1) + "/repositories/" + repository.group(2));
      } else if (method.equals("POST") && repositories.matches()) {
        count(CREATE);
        create(exchange, repositories.group(1), exchange.getRequestURI().getRawQuery(), body);
      } else if (method.equals("GET") && OPERATION_PATH.matcher(path).matches()) {
        count(OPERATION);
        String name = path.substring("/v1/".length());
        send(
            exchange,
            200,
            createRaces ? alreadyExistsOperation(name) : operation(name, true, resourceOf(name)));
      } else {
        send(exchange, 404, error(404, "NOT_FOUND", "no such path in the stub: " + path));
      }
    }
  }

  private void token(HttpExchange exchange, String body) throws IOException {
    tokenRequests.incrementAndGet();
    Map<String, String> form = form(body);
    String assertion = form.getOrDefault("assertion", "");
    String[] parts = assertion.split("\\.");
    if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))
        || parts.length != 3
        || !signedBy(parts)) {
      send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"bad assertion\"}");
      return;
    }
    JsonObject claims =
        JsonParser.parseString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
            .getAsJsonObject();
    scopes.add(claims.has("scope") ? claims.get("scope").getAsString() : "");
    int issued = tokenRequests.get() - 1;
    String token = tokens.get(Math.min(issued, tokens.size() - 1));
    JsonObject answer = new JsonObject();
    answer.addProperty("access_token", token);
    answer.addProperty("expires_in", tokenLife.toSeconds());
    answer.addProperty("token_type", "Bearer");
    send(exchange, 200, answer.toString());
  }

  private boolean signedBy(String[] parts) {
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initVerify(signer);
      signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      return signature.verify(Base64.getUrlDecoder().decode(parts[2]));
    } catch (Exception e) {
      return false;
    }
  }

  private void read(HttpExchange exchange, String resource) throws IOException {
    if (!scriptedGetStatuses.isEmpty()) {
      int status = scriptedGetStatuses.remove(0);
      send(exchange, status, error(status, statusName(status), "scripted failure"));
      return;
    }
    if (denyReads) {
      send(
          exchange,
          403,
          error(
              403,
              "PERMISSION_DENIED",
              "Permission 'artifactregistry.repositories.get' denied on resource '"
                  + resource
                  + "' (or it may not exist)."));
      return;
    }
    String[] found = repositories.get(resource);
    if (found == null) {
      send(exchange, 404, error(404, "NOT_FOUND", "Requested entity was not found."));
      return;
    }
    JsonObject answer = new JsonObject();
    answer.addProperty("name", resource);
    answer.addProperty("format", found[0]);
    answer.addProperty("mode", found[1]);
    send(exchange, 200, answer.toString());
  }

  private void create(HttpExchange exchange, String parent, String query, String body)
      throws IOException {
    String id = form(query == null ? "" : query).get("repositoryId");
    String format = formatName(JsonParser.parseString(body).getAsJsonObject().get("format"));
    JsonObject recorded = new JsonObject();
    recorded.addProperty("format", format);
    createRequests.add("repositoryId=" + id + " " + recorded);
    if (denyCreates) {
      send(
          exchange,
          403,
          error(
              403,
              "PERMISSION_DENIED",
              "Permission 'artifactregistry.repositories.create' denied on resource '"
                  + parent
                  + "'"));
      return;
    }
    String resource = parent + "/repositories/" + id;
    if (repositories.containsKey(resource)) {
      send(exchange, 409, error(409, "ALREADY_EXISTS", "the repository already exists"));
      return;
    }
    if (!createRaces) {
      repositories.put(resource, new String[] {format, "STANDARD_REPOSITORY"});
    }
    send(exchange, 200, operation(parent + "/operations/op-" + id, !createPending, resource));
  }

  private static String operation(String name, boolean done, String repository) {
    JsonObject operation = new JsonObject();
    operation.addProperty("name", name);
    operation.addProperty("done", done);
    if (done && repository != null) {
      JsonObject response = new JsonObject();
      response.addProperty(
          "@type", "type.googleapis.com/google.devtools.artifactregistry.v1.Repository");
      response.addProperty("name", repository);
      response.addProperty("format", "DOCKER");
      operation.add("response", response);
    }
    return operation.toString();
  }

  /** The repository an operation of this stub creates: its name ends in "op-" and the id. */
  private static String resourceOf(String operation) {
    int operations = operation.indexOf("/operations/op-");
    return operation.substring(0, operations)
        + "/repositories/"
        + operation.substring(operations + "/operations/op-".length());
  }

  private static String alreadyExistsOperation(String name) {
    JsonObject error = new JsonObject();
    error.addProperty("code", 6);
    error.addProperty("message", "the repository already exists");
    JsonObject operation = new JsonObject();
    operation.addProperty("name", name);
    operation.addProperty("done", true);
    operation.add("error", error);
    return operation.toString();
  }

  /**
   * A format as the client sends it: gax asks for {@code enum-encoding=int}, so it sends numbers
   * (DOCKER is 1); a JSON client may send the name.
   */
  private static String formatName(JsonElement format) {
    if (format == null) {
      return "FORMAT_UNSPECIFIED";
    }
    String value = format.getAsString();
    return value.equals("1") ? "DOCKER" : value;
  }

  private static String statusName(int status) {
    return switch (status) {
      case 401 -> "UNAUTHENTICATED";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 500 -> "INTERNAL";
      default -> "UNAVAILABLE";
    };
  }

  private static String error(int code, String status, String message) {
    JsonObject error = new JsonObject();
    error.addProperty("code", code);
    error.addProperty("message", message);
    error.addProperty("status", status);
    JsonObject root = new JsonObject();
    root.add("error", error);
    return root.toString();
  }

  private static String serviceDisabled() {
    return "{\"error\":{\"code\":403,\"message\":\"Artifact Registry API has not been used in"
        + " project acme before or it is"
        + " disabled.\",\"status\":\"PERMISSION_DENIED\",\"details\":[{\"@type\":"
        + "\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"SERVICE_DISABLED\","
        + "\"domain\":\"googleapis.com\"}]}}";
  }

  private void count(String kind) {
    calls.computeIfAbsent(kind, key -> new AtomicInteger()).incrementAndGet();
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new HashMap<>();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    StubServer.send(exchange, status, "application/json; charset=UTF-8", json);
  }
}
