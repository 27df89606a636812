package dev.fanout.gar;

import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpContent;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.util.Sleeper;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The three calls of the Artifact Registry API (v1, REST) that a push needs: read a repository,
 * create one, and follow the creation's long-running operation. Requests carry the run's access
 * token; a 401 fetches a new token once, and 429 and 5xx answers are retried.
 *
 * <p>Plain JSON over google-http-client, which jib-core already brings, instead of the generated
 * {@code google-cloud-artifact-registry} client: that client needs gax-grpc and grpc-api even on
 * its HTTP/JSON transport, and 14 to 30 more jars (8.4 to 36.5 MB) for these three calls.
 */
final class ArtifactRegistryApi {

  /** The Artifact Registry API version the paths below belong to. */
  static final String VERSION = "v1";

  /** What a Docker repository's {@code format} is, in the API's JSON. */
  static final String DOCKER = "DOCKER";

  /** The repository mode that takes pushes; remote and virtual repositories only serve pulls. */
  static final String STANDARD_REPOSITORY = "STANDARD_REPOSITORY";

  /**
   * Waits before each new attempt after a 429 or 5xx. Artifact Registry's quotas are per minute per
   * project and region, and a 429 holds for the rest of the minute, so the waits add up to just
   * over a minute (61 s) before the call gives up.
   */
  static final List<Duration> RETRY_WAITS =
      List.of(1, 2, 4, 8, 16, 30).stream().map(Duration::ofSeconds).toList();

  /** Answers worth another attempt: rate limited, and server-side errors that usually pass. */
  static final Set<Integer> RETRYABLE = Set.of(429, 500, 502, 503, 504);

  /**
   * Waits between looks at a repository creation that is not done yet; creating a Docker repository
   * usually completes in the first answer, and these add up to a minute.
   */
  static final List<Duration> OPERATION_WAITS =
      List.of(500, 1000, 2000, 4000, 8000, 15000, 29500).stream().map(Duration::ofMillis).toList();

  /** The gRPC code of ALREADY_EXISTS, as a failed operation's {@code error.code} gives it. */
  private static final int GRPC_ALREADY_EXISTS = 6;

  /** A request token source: the run's tokens, in the pipeline's environment. */
  interface Tokens {
    String token() throws IOException;

    void invalidate();
  }

  private final URI base;
  private final HttpTransport transport;
  private final Tokens tokens;
  private final Optional<String> quotaProject;
  private final Sleeper sleeper;

  ArtifactRegistryApi(
      URI base,
      HttpTransport transport,
      Tokens tokens,
      Optional<String> quotaProject,
      Sleeper sleeper) {
    this.base = base;
    this.transport = transport;
    this.tokens = tokens;
    this.quotaProject = quotaProject;
    this.sleeper = sleeper;
  }

  /**
   * A repository's format and mode.
   *
   * @param format for example {@code DOCKER} or {@code MAVEN}
   * @param mode for example {@code STANDARD_REPOSITORY} or {@code REMOTE_REPOSITORY}
   */
  record RepositoryInfo(String format, String mode) {}

  /**
   * Reads a repository: {@code GET /v1/projects/P/locations/L/repositories/R}.
   *
   * @param name the repository's image name
   * @return its format and mode, or empty when it does not exist (404)
   * @throws ApiFailure for any other error answer
   * @throws IOException when the API cannot be reached
   * @throws InterruptedException when interrupted while waiting to retry
   */
  Optional<RepositoryInfo> repository(GarName name) throws IOException, InterruptedException {
    String call = "GET " + name.repositoryResource();
    Answer answer = call("GET", url(name.repositoryResource()), null, call);
    if (answer.status() == 404) {
      return Optional.empty();
    }
    JsonObject repository = answer.orThrow(call);
    return Optional.of(
        new RepositoryInfo(
            text(repository, "format", "FORMAT_UNSPECIFIED"),
            text(repository, "mode", STANDARD_REPOSITORY)));
  }

  /**
   * Creates a Docker repository: {@code POST
   * /v1/projects/P/locations/L/repositories?repositoryId=R} with {@code {"format":"DOCKER"}}, then
   * follows the operation until it is done.
   *
   * @param name the repository's image name
   * @return true when this call created it; false when it already existed (ALREADY_EXISTS: another
   *     client created it meanwhile)
   * @throws ApiFailure for any other error answer, or an operation that ended in an error
   * @throws IOException when the API cannot be reached, or the operation does not finish in time
   * @throws InterruptedException when interrupted while waiting
   */
  boolean createRepository(GarName name) throws IOException, InterruptedException {
    String call =
        "POST " + name.parentResource() + "/repositories?repositoryId=" + name.repository();
    JsonObject body = new JsonObject();
    body.addProperty("format", DOCKER);
    GenericUrl url = url(name.parentResource() + "/repositories");
    url.set("repositoryId", name.repository());
    Answer answer = call("POST", url, body.toString(), call);
    if (answer.status() == 409 && answer.body().contains("ALREADY_EXISTS")) {
      return false;
    }
    JsonObject operation = answer.orThrow(call);
    for (int look = 0; !operation.has("done") || !operation.get("done").getAsBoolean(); look++) {
      if (look >= OPERATION_WAITS.size()) {
        throw new IOException(
            "the creation of "
                + name.repositoryResource()
                + " did not finish within a minute (operation "
                + text(operation, "name", "?")
                + ")");
      }
      sleeper.sleep(OPERATION_WAITS.get(look).toMillis());
      String operationName = text(operation, "name", "");
      String poll = "GET " + operationName;
      operation = call("GET", url(operationName), null, poll).orThrow(poll);
    }
    if (operation.has("error")) {
      JsonObject error = operation.getAsJsonObject("error");
      int code = error.has("code") ? error.get("code").getAsInt() : 0;
      if (code == GRPC_ALREADY_EXISTS) {
        return false;
      }
      throw new ApiFailure(
          call, 200, "operation error " + code, Optional.empty(), text(error, "message", ""));
    }
    return true;
  }

  private GenericUrl url(String resource) {
    return new GenericUrl(base + "/" + VERSION + "/" + resource);
  }

  private Answer call(String method, GenericUrl url, String json, String call)
      throws IOException, InterruptedException {
    boolean renewed = false;
    for (int attempt = 0; ; attempt++) {
      HttpContent content =
          json == null
              ? null
              : new ByteArrayContent("application/json", json.getBytes(StandardCharsets.UTF_8));
      HttpRequest request = transport.createRequestFactory().buildRequest(method, url, content);
      request.getHeaders().setAuthorization("Bearer " + tokens.token());
      quotaProject.ifPresent(project -> request.getHeaders().set("x-goog-user-project", project));
      request.setThrowExceptionOnExecuteError(false);
      request.setNumberOfRetries(0);
      HttpResponse response = request.execute();
      Answer answer;
      try {
        answer = new Answer(response.getStatusCode(), response.parseAsString());
      } finally {
        response.disconnect();
      }
      if (answer.status() == 401 && !renewed) {
        renewed = true;
        tokens.invalidate();
        continue;
      }
      if (!RETRYABLE.contains(answer.status()) || attempt >= RETRY_WAITS.size()) {
        return answer;
      }
      sleeper.sleep(RETRY_WAITS.get(attempt).toMillis());
    }
  }

  private static String text(JsonObject object, String field, String otherwise) {
    JsonElement value = object.get(field);
    return value != null && value.isJsonPrimitive() ? value.getAsString() : otherwise;
  }

  /** One answer: its status and body. */
  private record Answer(int status, String body) {

    /** The body as a JSON object for a 2xx, else the {@link ApiFailure} it describes. */
    JsonObject orThrow(String call) throws ApiFailure {
      JsonObject json = parse(body);
      if (status / 100 == 2) {
        if (json == null) {
          throw new ApiFailure(
              call, status, "", Optional.empty(), "the answer is not a JSON object");
        }
        return json;
      }
      JsonObject error =
          json != null && json.has("error") && json.get("error").isJsonObject()
              ? json.getAsJsonObject("error")
              : new JsonObject();
      Optional<String> reason = Optional.empty();
      if (error.has("details") && error.get("details").isJsonArray()) {
        for (JsonElement detail : error.getAsJsonArray("details")) {
          if (detail.isJsonObject() && detail.getAsJsonObject().has("reason")) {
            reason = Optional.of(detail.getAsJsonObject().get("reason").getAsString());
            break;
          }
        }
      }
      throw new ApiFailure(
          call, status, text(error, "status", ""), reason, text(error, "message", ""));
    }

    private static JsonObject parse(String body) {
      try {
        JsonElement element = JsonParser.parseString(body);
        return element.isJsonObject() ? element.getAsJsonObject() : null;
      } catch (JsonParseException e) {
        return null;
      }
    }
  }
}
