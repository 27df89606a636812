package dev.fanout.gar;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.RegistryCredential;
import dev.fanout.RetryPolicy;
import dev.fanout.spi.PushDestination;
import dev.fanout.spi.RegistryBackend;
import dev.fanout.spi.RegistryFailure;
import dev.fanout.spi.TargetSpec;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Pushes to Google Artifact Registry as user {@value #TOKEN_USER} with an access token from
 * google-auth, after checking (and, when the target opts in, creating) the Docker repository with
 * the Artifact Registry API. One instance serves one run: the token and the repository checks are
 * shared by the run's targets.
 *
 * <p>A target that names its own credential ({@code Target.credentials(...)}) is pushed with it as
 * it is, and its repository is not checked: that target asked for no Google API calls.
 */
final class GarBackend implements RegistryBackend {

  /** The user name Artifact Registry takes with an OAuth2 access token as the password. */
  static final String TOKEN_USER = "oauth2accesstoken";

  /** The role a principal needs to push to a repository (it includes reading the repository). */
  static final String WRITER_ROLE = "roles/artifactregistry.writer";

  /** The role a principal needs to create repositories in a project. */
  static final String ADMIN_ROLE = "roles/artifactregistry.admin";

  /**
   * Artifact Registry's request quotas are per minute, and a 429 holds for the rest of that minute;
   * a retry policy for its hosts must be able to wait this long.
   */
  static final Duration QUOTA_WINDOW = Duration.ofSeconds(60);

  /** The most attempts {@link #retryPolicy(RetryPolicy)} asks for to span {@link #QUOTA_WINDOW}. */
  static final int MAX_ATTEMPTS_FOR_QUOTA = 10;

  /** The OCI error code a registry gives a push it refuses to a principal. */
  static final String DENIED = "DENIED";

  /** The OCI error code for a repository that does not exist. */
  static final String NAME_UNKNOWN = "NAME_UNKNOWN";

  /** The Google reason for an API that is not enabled in the project. */
  static final String SERVICE_DISABLED = "SERVICE_DISABLED";

  private final AccessTokens tokens;
  private final ArtifactRegistryApi.Timing timing;
  private final Map<String, Object> repositoryLocks = new ConcurrentHashMap<>();
  private final Set<String> readyRepositories = ConcurrentHashMap.newKeySet();
  private final Map<String, Pushed> destinations = new ConcurrentHashMap<>();

  GarBackend() {
    this(Clock.systemUTC(), GoogleCredentialChain::new, ArtifactRegistryApi.Timing.PRODUCTION);
  }

  GarBackend(
      Clock clock,
      Function<Environment, GoogleCredentialChain> chains,
      ArtifactRegistryApi.Timing timing) {
    this.tokens = new AccessTokens(clock, chains);
    this.timing = timing;
  }

  @Override
  public List<String> validate(TargetSpec target, Environment environment) {
    List<String> problems = new ArrayList<>();
    GarName.parse(target.reference()).problem().ifPresent(problems::add);
    problems.addAll(GarOptions.problems(target.options()));
    problems.addAll(GarEndpoints.problems(environment));
    if (target.credentials().isPresent() && GarOptions.createRepository(target.options())) {
      problems.add(
          GarOptions.CREATE_REPOSITORY
              + "=true needs Google credentials, but the target names its own registry credential,"
              + " with which Fanout makes no API call");
    }
    return problems;
  }

  /**
   * {@link GarEndpoints#REGISTRY_ENDPOINT} with the target's location when it is set and usable,
   * else the target's host. The plan lets the access token travel over plain HTTP only to this
   * machine, so {@code allowPlainHttp()} is for a stand-in of Artifact Registry on loopback.
   */
  @Override
  public String pushHost(TargetSpec target, Environment environment) {
    if (!GarEndpoints.problems(environment).isEmpty()) {
      return target.reference().getRegistry();
    }
    return GarName.parse(target.reference())
        .name()
        .map(name -> GarEndpoints.registryHost(name, environment))
        .orElse(target.reference().getRegistry());
  }

  /**
   * The run's Google access token as user {@value #TOKEN_USER}, from the credentials {@link
   * GoogleCredentialChain} finds.
   */
  @Override
  public CredentialSource defaultCredentials() {
    return new CredentialSource() {
      @Override
      public Optional<RegistryCredential> resolve(String registryHost, Environment environment)
          throws IOException {
        return Optional.of(RegistryCredential.of(TOKEN_USER, tokens.token(environment)));
      }

      @Override
      public String toString() {
        return "Google access token as user " + TOKEN_USER;
      }
    };
  }

  @Override
  public PushDestination prepare(TargetSpec target, Environment environment)
      throws IOException, InterruptedException {
    GarName.Parsed parsed = GarName.parse(target.reference());
    GarName name = parsed.name().orElseThrow(() -> new IOException(parsed.problem().orElseThrow()));
    String pushHost = GarEndpoints.registryHost(name, environment);
    List<String> notes = new ArrayList<>();
    if (!pushHost.equals(name.host())) {
      notes.add("pushed through " + pushHost + " (" + GarEndpoints.REGISTRY_ENDPOINT + ")");
    }
    ImageReference endpoint = ImageReference.of(pushHost, target.reference().getRepository(), null);
    String key = pushHost + "/" + target.reference().getRepository();
    if (target.credentials().isPresent()) {
      destinations.put(key, new Pushed(name, true));
      Optional<RegistryCredential> own =
          target.credentials().get().resolve(target.reference().getRegistry(), environment);
      notes.add("pushed with the target's own credential; the repository was not checked");
      return new PushDestination(endpoint, own, notes);
    }
    Optional<RegistryCredential> credential =
        defaultCredentials().resolve(target.reference().getRegistry(), environment);
    destinations.put(key, new Pushed(name, false));
    ensureRepository(name, GarOptions.createRepository(target.options()), environment, notes);
    return new PushDestination(endpoint, credential, notes);
  }

  /**
   * Widens the run's policy so that a 429 from Artifact Registry's per-minute quota can be waited
   * out: single waits of up to {@link #QUOTA_WINDOW}, and enough attempts that the computed waits
   * add up to at least that window (1 + 2 + 4 + 8 + 16 + 32 s: 7 tries; the default 10 already
   * do). A policy of one try stays one try: its author asked for no retries.
   */
  @Override
  public RetryPolicy retryPolicy(RetryPolicy configured) {
    if (configured.maxAttempts() == 1) {
      return configured;
    }
    RetryPolicy.Builder widened = configured.toBuilder();
    if (configured.maxBackoff().compareTo(QUOTA_WINDOW) < 0) {
      widened.maxBackoff(QUOTA_WINDOW);
    }
    RetryPolicy policy = widened.build();
    int attempts = configured.maxAttempts();
    while (attempts < MAX_ATTEMPTS_FOR_QUOTA
        && totalWait(policy, attempts).compareTo(QUOTA_WINDOW) < 0) {
      attempts++;
    }
    return policy.toBuilder().maxAttempts(attempts).build();
  }

  /**
   * Explains a refused push: a 403 names the principal and the role a push needs, and is final; a
   * missing repository ({@value #NAME_UNKNOWN}) names the command that creates it, and is final. A
   * 401 drops the run's token, so that the engine's one re-authentication gets a new one.
   */
  @Override
  public RegistryFailure refine(RegistryFailure failure) {
    int status = failure.status().orElse(0);
    if (status == 401) {
      tokens.invalidate();
      return failure;
    }
    Optional<Pushed> pushed = find(failure.message());
    if (status == 403 || failure.errorCodes().contains(DENIED)) {
      return failure.permanent(permissionDenied(pushed) + " (" + failure.message() + ")");
    }
    if (status == 404
        && pushed.isPresent()
        && (failure.errorCodes().contains(NAME_UNKNOWN)
            || failure.message().contains(NAME_UNKNOWN))) {
      GarName name = pushed.get().name();
      return failure.permanent(
          name.describeRepository()
              + " does not exist ("
              + NAME_UNKNOWN
              + "); create it with: "
              + name.createCommand()
              + " ("
              + failure.message()
              + ")");
    }
    return failure;
  }

  private void ensureRepository(
      GarName name, boolean create, Environment environment, List<String> notes)
      throws IOException, InterruptedException {
    String resource = name.repositoryResource();
    synchronized (repositoryLocks.computeIfAbsent(resource, key -> new Object())) {
      if (readyRepositories.contains(resource)) {
        return;
      }
      GoogleAccount account = tokens.account(environment);
      try (ArtifactRegistryApi api =
          new ArtifactRegistryApi(
              GarEndpoints.api(environment),
              new ArtifactRegistryApi.Tokens() {
                @Override
                public String token() throws IOException {
                  return tokens.token(environment);
                }

                @Override
                public void invalidate() {
                  tokens.invalidate();
                }
              },
              Optional.ofNullable(account.credentials().getQuotaProjectId()),
              timing)) {
        Optional<ArtifactRegistryApi.RepositoryInfo> found;
        try {
          found = api.repository(name);
        } catch (ApiFailure failure) {
          throw explain(failure, name, account, environment, false);
        }
        if (found.isPresent()) {
          usable(name, found.get());
        } else if (!create) {
          throw new IOException(
              name.describeRepository()
                  + " does not exist, and Artifact Registry does not create repositories on push:"
                  + " create it with: "
                  + name.createCommand()
                  + "; or let Fanout create it with Target.option(GarOptions.CREATE_REPOSITORY,"
                  + " \"true\") ("
                  + GarOptions.CREATE_REPOSITORY
                  + "=true)");
        } else {
          boolean created;
          try {
            created = api.createRepository(name);
          } catch (ApiFailure failure) {
            throw explain(failure, name, account, environment, true);
          }
          notes.add(
              created
                  ? "created " + name.describeRepository() + ", format DOCKER"
                  : name.describeRepository() + " was created meanwhile by another client");
        }
      }
      readyRepositories.add(resource);
    }
  }

  private static void usable(GarName name, ArtifactRegistryApi.RepositoryInfo repository)
      throws IOException {
    if (!repository.format().equals(ArtifactRegistryApi.DOCKER)) {
      throw new IOException(
          name.describeRepository()
              + " holds "
              + repository.format()
              + " packages, not Docker images; push to a Docker repository");
    }
    if (!repository.mode().equals(ArtifactRegistryApi.STANDARD_REPOSITORY)) {
      throw new IOException(
          name.describeRepository()
              + " is a "
              + repository.mode()
              + ", which serves pulls only; push to a standard repository");
    }
  }

  private static IOException explain(
      ApiFailure failure,
      GarName name,
      GoogleAccount account,
      Environment environment,
      boolean creating) {
    String api =
        " [" + failure.getMessage() + ", at " + GarEndpoints.describeApi(environment) + "]";
    boolean disabled =
        failure.reason().filter(SERVICE_DISABLED::equals).isPresent()
            || failure.apiMessage().contains("has not been used in project")
            || failure.apiMessage().contains("it is disabled");
    if (failure.httpStatus() == 403 && disabled) {
      return new IOException(
          "the Artifact Registry API is not enabled in project "
              + name.project()
              + ": gcloud services enable artifactregistry.googleapis.com --project="
              + name.project()
              + api,
          failure);
    }
    if (failure.httpStatus() == 403 && creating) {
      return new IOException(
          "permission denied: "
              + account.principal()
              + " may not create "
              + name.describeRepository()
              + "; creating repositories needs "
              + ADMIN_ROLE
              + " on project "
              + name.project()
              + ", or create it once with: "
              + name.createCommand()
              + api,
          failure);
    }
    if (failure.httpStatus() == 403) {
      return new IOException(
          "permission denied: "
              + account.principal()
              + " may not read "
              + name.describeRepository()
              + ", so it may not push to it either; a push needs "
              + WRITER_ROLE
              + " on the repository or its project: "
              + name.grantWriterCommand(account.member().orElse("PRINCIPAL"))
              + api,
          failure);
    }
    if (failure.httpStatus() == 401) {
      return new IOException(
          "Google refused the access token of "
              + account.principal()
              + " (from "
              + account.origin()
              + ")"
              + api,
          failure);
    }
    return new IOException(
        "the Artifact Registry API could not "
            + (creating ? "create " : "read ")
            + name.describeRepository()
            + api,
        failure);
  }

  private String permissionDenied(Optional<Pushed> pushed) {
    boolean own = pushed.map(Pushed::ownCredential).orElse(false);
    Optional<GoogleAccount> account = own ? Optional.empty() : tokens.loaded();
    String who =
        own
            ? "the target's own credential"
            : account.map(GoogleAccount::principal).orElse("the principal of the access token");
    String member = account.flatMap(GoogleAccount::member).orElse("PRINCIPAL");
    String grant =
        pushed
            .map(found -> found.name().grantWriterCommand(member))
            .orElse(
                "gcloud artifacts repositories add-iam-policy-binding REPOSITORY"
                    + " --location=LOCATION --project=PROJECT --member="
                    + member
                    + " --role="
                    + WRITER_ROLE);
    return "permission denied: "
        + who
        + " may not push to "
        + pushed
            .map(found -> found.name().describeRepository())
            .orElse("this Artifact Registry repository")
        + "; a push needs "
        + WRITER_ROLE
        + " on the repository or its project: "
        + grant;
  }

  /** The destination a failure's message is about: Jib names the reference or the request URL. */
  private Optional<Pushed> find(String message) {
    return destinations.entrySet().stream()
        .filter(entry -> mentions(message, entry.getKey()))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  private static boolean mentions(String message, String hostAndPath) {
    int slash = hostAndPath.indexOf('/');
    String host = hostAndPath.substring(0, slash);
    String path = hostAndPath.substring(slash + 1);
    return message.contains(hostAndPath + ":")
        || message.contains(hostAndPath + " ")
        || message.endsWith(hostAndPath)
        || message.contains(host + "/v2/" + path + "/")
        || (message.startsWith(host + " ") && message.contains(" /v2/" + path + "/"));
  }

  private static Duration totalWait(RetryPolicy policy, int attempts) {
    Duration total = Duration.ZERO;
    for (int attempt = 1; attempt < attempts; attempt++) {
      total = total.plus(policy.backoffAfter(attempt));
    }
    return total;
  }

  /**
   * What the backend readied for one push destination, so that a failure can be explained.
   *
   * @param name the target's Artifact Registry name
   * @param ownCredential whether the target named its own credential
   */
  private record Pushed(GarName name, boolean ownCredential) {}
}
