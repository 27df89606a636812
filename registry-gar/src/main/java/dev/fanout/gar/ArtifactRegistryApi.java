package dev.fanout.gar;

import com.google.api.client.http.HttpResponseException;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.longrunning.OperationTimedPollAlgorithm;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.auth.Credentials;
import com.google.devtools.artifactregistry.v1.ArtifactRegistryClient;
import com.google.devtools.artifactregistry.v1.ArtifactRegistrySettings;
import com.google.devtools.artifactregistry.v1.CreateRepositoryRequest;
import com.google.devtools.artifactregistry.v1.Repository;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;

/**
 * The two things a push needs from the Artifact Registry API (v1): read a repository, and create
 * one and wait for the creation's long-running operation. Calls go through the generated {@code
 * ArtifactRegistryClient} on its HTTP/JSON transport, with the run's access token; 429 and 5xx
 * answers are retried, and a 401 fetches a new token once.
 *
 * <p>One instance holds one client (and its threads): close it when the repository is ready.
 */
final class ArtifactRegistryApi implements AutoCloseable {

  /** What a Docker repository's {@code format} is, as {@link RepositoryInfo} gives it. */
  static final String DOCKER = Repository.Format.DOCKER.name();

  /** The repository mode that takes pushes; remote and virtual repositories only serve pulls. */
  static final String STANDARD_REPOSITORY = Repository.Mode.STANDARD_REPOSITORY.name();

  /**
   * The answers worth another attempt. Over HTTP/JSON gax derives the code from the HTTP status:
   * 429 is RESOURCE_EXHAUSTED, 503 UNAVAILABLE, 500 INTERNAL, 504 DEADLINE_EXCEEDED, and 502 and
   * other 5xx are UNKNOWN.
   */
  static final Set<StatusCode.Code> RETRYABLE =
      Set.of(
          StatusCode.Code.RESOURCE_EXHAUSTED,
          StatusCode.Code.UNAVAILABLE,
          StatusCode.Code.INTERNAL,
          StatusCode.Code.DEADLINE_EXCEEDED,
          StatusCode.Code.UNKNOWN);

  /**
   * How long one request may take before gax gives up on it (and retries it, as DEADLINE_EXCEEDED).
   */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Retries of a call after a 429 or 5xx. Artifact Registry's quotas are per minute per project and
   * region, and a 429 holds for the rest of the minute, so the waits (1, 2, 4, 8, 16 and 30 s, 61 s
   * in all, before gax's jitter, which only shortens them) reach just past a minute: 7 attempts.
   */
  static final RetrySettings CALL_RETRIES =
      RetrySettings.newBuilder()
          .setInitialRetryDelayDuration(Duration.ofSeconds(1))
          .setRetryDelayMultiplier(2)
          .setMaxRetryDelayDuration(Duration.ofSeconds(30))
          .setMaxAttempts(7)
          .setInitialRpcTimeoutDuration(REQUEST_TIMEOUT)
          .setRpcTimeoutMultiplier(1)
          .setMaxRpcTimeoutDuration(REQUEST_TIMEOUT)
          .setTotalTimeoutDuration(Duration.ofMinutes(5))
          .build();

  /**
   * Looks at a repository creation that is not done yet: creating a Docker repository usually
   * completes in the first answer; the looks start after 0.5 s, double up to 15 s apart, and stop
   * after a minute.
   */
  static final RetrySettings OPERATION_POLLS =
      RetrySettings.newBuilder()
          .setInitialRetryDelayDuration(Duration.ofMillis(500))
          .setRetryDelayMultiplier(2)
          .setMaxRetryDelayDuration(Duration.ofSeconds(15))
          .setInitialRpcTimeoutDuration(REQUEST_TIMEOUT)
          .setRpcTimeoutMultiplier(1)
          .setMaxRpcTimeoutDuration(REQUEST_TIMEOUT)
          .setTotalTimeoutDuration(Duration.ofMinutes(1))
          .build();

  /**
   * The waits of a client: production uses {@link #PRODUCTION}; tests pass the same shapes in
   * milliseconds.
   *
   * @param calls retries of a call after a 429 or 5xx
   * @param polls looks at a creation that is not done yet
   */
  record Timing(RetrySettings calls, RetrySettings polls) {

    /** The waits Artifact Registry's per-minute quotas call for. */
    static final Timing PRODUCTION = new Timing(CALL_RETRIES, OPERATION_POLLS);
  }

  /** A request token source: the run's tokens, in the pipeline's environment. */
  interface Tokens {
    String token() throws IOException;

    void invalidate();
  }

  private final ArtifactRegistryClient client;

  /**
   * A client for one repository check.
   *
   * @param base the API's base URL, for example {@code https://artifactregistry.googleapis.com}
   * @param tokens the run's tokens
   * @param quotaProject the project to bill the calls to ({@code x-goog-user-project}), if any
   * @param timing the waits between retries and between looks at an operation
   * @throws IOException when the client cannot be set up
   */
  ArtifactRegistryApi(URI base, Tokens tokens, Optional<String> quotaProject, Timing timing)
      throws IOException {
    ArtifactRegistrySettings.Builder settings =
        ArtifactRegistrySettings.newHttpJsonBuilder()
            .setEndpoint(base.toString())
            .setCredentialsProvider(FixedCredentialsProvider.create(new TokenCredentials(tokens)));
    quotaProject.ifPresent(settings::setQuotaProjectId);
    settings.getRepositorySettings().setRetryableCodes(RETRYABLE).setRetrySettings(timing.calls());
    settings
        .createRepositorySettings()
        .setRetryableCodes(RETRYABLE)
        .setRetrySettings(timing.calls());
    settings
        .createRepositoryOperationSettings()
        .setPollingAlgorithm(OperationTimedPollAlgorithm.create(timing.polls()));
    this.client = ArtifactRegistryClient.create(settings.build());
  }

  /**
   * A repository's format and mode.
   *
   * @param format for example {@code DOCKER} or {@code MAVEN}
   * @param mode for example {@code STANDARD_REPOSITORY} or {@code REMOTE_REPOSITORY}
   */
  record RepositoryInfo(String format, String mode) {}

  /**
   * Reads a repository ({@code GetRepository}).
   *
   * @param name the repository's image name
   * @return its format and mode, or empty when it does not exist (NOT_FOUND)
   * @throws ApiFailure for any other error answer
   * @throws IOException when the API cannot be reached
   */
  Optional<RepositoryInfo> repository(GarName name) throws IOException {
    String call = "GET " + name.repositoryResource();
    Repository repository;
    try {
      repository = client.getRepository(name.repositoryResource());
    } catch (ApiException e) {
      if (e.getStatusCode().getCode() == StatusCode.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw failure(call, e);
    }
    // An answer without a mode reads as MODE_UNSPECIFIED here; as before, it counts as standard.
    Repository.Mode mode =
        repository.getMode() == Repository.Mode.MODE_UNSPECIFIED
            ? Repository.Mode.STANDARD_REPOSITORY
            : repository.getMode();
    return Optional.of(new RepositoryInfo(repository.getFormat().name(), mode.name()));
  }

  /**
   * Creates a Docker repository ({@code CreateRepository} with format DOCKER), then follows the
   * operation until it is done.
   *
   * @param name the repository's image name
   * @return true when this call created it; false when it already existed (ALREADY_EXISTS, from the
   *     call or the operation: another client created it meanwhile)
   * @throws ApiFailure for any other error answer, or an operation that ended in an error
   * @throws IOException when the API cannot be reached, or the operation does not finish in time
   * @throws InterruptedException when interrupted while waiting
   */
  boolean createRepository(GarName name) throws IOException, InterruptedException {
    String call =
        "POST " + name.parentResource() + "/repositories?repositoryId=" + name.repository();
    CreateRepositoryRequest request =
        CreateRepositoryRequest.newBuilder()
            .setParent(name.parentResource())
            .setRepositoryId(name.repository())
            .setRepository(Repository.newBuilder().setFormat(Repository.Format.DOCKER))
            .build();
    try {
      client.createRepositoryAsync(request).get();
      return true;
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof ApiException api)) {
        throw new IOException(call + " failed: " + e.getCause(), e.getCause());
      }
      ApiFailure failure = failure(call, api);
      if (failure.status().equals(StatusCode.Code.ALREADY_EXISTS.name())) {
        return false;
      }
      throw failure;
    } catch (CancellationException e) {
      throw new IOException(
          "the creation of " + name.repositoryResource() + " did not finish within a minute", e);
    } catch (ApiException e) {
      throw failure(call, e);
    }
  }

  /** Shuts the client's threads down. */
  @Override
  public void close() {
    client.close();
  }

  /**
   * The failure an {@link ApiException} stands for. Over HTTP/JSON gax derives the code from the
   * HTTP status alone, so a 409 is ABORTED; Google's own {@code status} and {@code message} are
   * read from the answer's body, which the exception's cause keeps. A failed operation has no HTTP
   * answer: its code is the operation's error code.
   */
  private static ApiFailure failure(String call, ApiException e) {
    Optional<HttpResponseException> answer = answer(e);
    JsonObject error = answer.map(found -> error(found.getContent())).orElseGet(JsonObject::new);
    StatusCode.Code code = e.getStatusCode().getCode();
    int httpStatus =
        answer.map(HttpResponseException::getStatusCode).orElse(code.getHttpStatusCode());
    String status = text(error, "status").orElse(code.name());
    String message = text(error, "message").orElse(answer.isPresent() ? "" : e.getMessage());
    Optional<String> reason = Optional.ofNullable(e.getReason()).or(() -> reason(error));
    return new ApiFailure(call, httpStatus, status, reason, message == null ? "" : message);
  }

  /**
   * The first {@code ErrorInfo} reason in an error's details. gax 2.76's HTTP/JSON transport builds
   * a unary call's {@link ApiException} from the HTTP status alone, without {@code ErrorDetails},
   * so {@link ApiException#getReason()} is null there (seen against the stub) and the body is read.
   */
  private static Optional<String> reason(JsonObject error) {
    if (error.get("details") instanceof JsonArray details) {
      for (JsonElement detail : details) {
        if (detail instanceof JsonObject info) {
          Optional<String> reason = text(info, "reason");
          if (reason.isPresent()) {
            return reason;
          }
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<HttpResponseException> answer(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof HttpResponseException found) {
        return Optional.of(found);
      }
    }
    return Optional.empty();
  }

  private static JsonObject error(String body) {
    try {
      JsonElement root = JsonParser.parseString(body == null ? "" : body);
      if (root.isJsonObject() && root.getAsJsonObject().get("error") instanceof JsonObject error) {
        return error;
      }
    } catch (JsonParseException e) {
      // Not JSON (a proxy's HTML page): the HTTP status and gax's code say what there is.
    }
    return new JsonObject();
  }

  private static Optional<String> text(JsonObject object, String field) {
    JsonElement value = object.get(field);
    return value != null && value.isJsonPrimitive()
        ? Optional.of(value.getAsString())
        : Optional.empty();
  }

  /**
   * The run's tokens as google-auth {@link Credentials}, which gax puts on every request. After a
   * 401 google-http-client asks for a {@link #refresh()} and retries with the new token; that
   * happens once per client, and a second refusal is reported, not retried.
   */
  private static final class TokenCredentials extends Credentials {

    private static final long serialVersionUID = 1L;

    private final transient Tokens tokens;
    private boolean renewed;

    TokenCredentials(Tokens tokens) {
      this.tokens = tokens;
    }

    @Override
    public String getAuthenticationType() {
      return "OAuth2";
    }

    @Override
    public Map<String, List<String>> getRequestMetadata(URI uri) throws IOException {
      return Map.of("Authorization", List.of("Bearer " + tokens.token()));
    }

    @Override
    public boolean hasRequestMetadata() {
      return true;
    }

    @Override
    public boolean hasRequestMetadataOnly() {
      return true;
    }

    @Override
    public synchronized void refresh() throws IOException {
      if (renewed) {
        throw new IOException("the renewed access token was refused too");
      }
      renewed = true;
      tokens.invalidate();
    }
  }
}
