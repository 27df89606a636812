package dev.fanout.ecr;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.RegistryCredential;
import dev.fanout.spi.EndpointSafety;
import dev.fanout.spi.KnownRegistry;
import dev.fanout.spi.PushContext;
import dev.fanout.spi.PushDestination;
import dev.fanout.spi.RegistryBackend;
import dev.fanout.spi.RegistryFailure;
import dev.fanout.spi.TargetSpec;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Pushes to AWS ECR with a registry token from the AWS SDK ({@code GetAuthorizationToken}), after
 * making sure the repository exists ({@code DescribeRepositories}, then {@code CreateRepository}).
 * One instance serves one run: its token cache gives every target on a registry the same token.
 *
 * <p>A push-only role works too. With repository creation off ({@code ecr.createRepository=false})
 * the repository is not looked up at all, and when {@code DescribeRepositories} is refused
 * ({@code AccessDeniedException}) the push is tried anyway: ECR's repository creation templates
 * ({@code CREATE_ON_PUSH}) may create the repository on the push itself, and a repository that is
 * still missing is reported from ECR's own answer ({@value #NAME_UNKNOWN}), explained.
 *
 * <p>A target that names its own credential ({@code Target.credentials(...)}, for example the
 * output of {@code aws ecr get-login-password}) is pushed with it as is, and its repository is not
 * checked: that target asked for no AWS API calls.
 */
final class EcrBackend implements RegistryBackend {

  /**
   * ECR's repository name rule ({@code CreateRepository}'s {@code repositoryName}), narrower than
   * the OCI one: no upper case, no leading or doubled separators.
   */
  static final Pattern REPOSITORY_NAME =
      Pattern.compile(
          "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");

  /** ECR's bounds on a repository name's length. */
  static final int REPOSITORY_NAME_MIN = 2;

  static final int REPOSITORY_NAME_MAX = 256;

  /**
   * The OCI error code ECR answers a manifest upload to an existing tag of an immutable repository
   * with (400 {@code TAG_INVALID}: "The image tag 'x' already exists in the 'repo' repository and
   * cannot be overwritten because the repository is immutable"). No later attempt can succeed.
   */
  static final String TAG_INVALID = "TAG_INVALID";

  /**
   * The OCI error code ECR answers a push to a repository that does not exist with (404, "The
   * repository with name 'x' does not exist in the registry with id 'y'"), on the first upload.
   */
  static final String NAME_UNKNOWN = "NAME_UNKNOWN";

  /** Where a manifest's tag sits in a request path: {@code /v2/<name>/manifests/<tag>}. */
  private static final String MANIFESTS = "/manifests/";

  /**
   * ECR's default PutImage quota: 10 manifest uploads per second per account and region (adjustable
   * through Service Quotas). Staying under it on the client spares a release the 429s and retries.
   */
  static final int PUT_IMAGE_PER_SECOND = 10;

  private final Clock clock;
  private final TokenCache tokens;

  EcrBackend(Clock clock) {
    this.clock = clock;
    this.tokens = new TokenCache(clock);
  }

  @Override
  public List<String> validate(TargetSpec target, Environment environment) {
    List<String> problems = new ArrayList<>();
    String host = target.reference().getRegistry();
    if (EcrRegistryHost.parse(host).isEmpty()) {
      problems.add(host + " is not an ECR registry host (" + EcrRegistryHost.FORM + ")");
    }
    String repository = target.reference().getRepository();
    if (repository.length() < REPOSITORY_NAME_MIN
        || repository.length() > REPOSITORY_NAME_MAX
        || !REPOSITORY_NAME.matcher(repository).matches()) {
      problems.add(
          "'"
              + repository
              + "' is not a valid ECR repository name (2 to 256 characters of a-z, 0-9, '.', '_',"
              + " '-' and '/', each part starting and ending with a letter or digit)");
    }
    problems.addAll(RepositorySettings.problems(target.options()));
    problems.addAll(EcrEndpoints.problems(environment));
    if (target.plainHttp()
        && target.credentials().isEmpty()
        && !EcrEndpoints.overrideIsLoopback(environment)) {
      problems.add(
          "allowPlainHttp() is only for a stand-in of ECR on this machine: ECR itself speaks HTTPS"
              + " only, and its token travels over plain HTTP only when "
              + EcrEndpoints.ECR_ENDPOINT
              + " points at a loopback address");
    }
    return problems;
  }

  /**
   * The target's host for its own credential. The ECR token goes to the endpoint the API names
   * with it, known only then and checked then; for the plan, that is the host of the API's
   * override when there is one (a stand-in serves both), else the target's host.
   */
  @Override
  public String pushHost(TargetSpec target, Environment environment) {
    if (target.credentials().isPresent()) {
      return target.reference().getRegistry();
    }
    return EcrEndpoints.override(environment, EcrEndpoints.ECR_ENDPOINT)
        .map(URI::getHost)
        .orElse(target.reference().getRegistry());
  }

  @Override
  public PushDestination prepare(TargetSpec target, Environment environment)
      throws IOException, InterruptedException {
    EcrRegistryHost registry = registryOf(target);
    if (target.credentials().isPresent()) {
      return withOwnCredential(target, target.credentials().get(), environment);
    }
    String repository = target.reference().getRepository();
    RepositorySettings settings = RepositorySettings.from(target.options());
    List<String> notes = new ArrayList<>();
    try (EcrApi api = EcrApi.open(registry, environment)) {
      EcrToken token = tokens.get(registry.host(), () -> api.authorizationToken(clock));
      if (settings.create()) {
        ensureRepository(api, repository, settings, notes);
      } else {
        notes.add(
            "repository not looked up ("
                + EcrOptions.CREATE_REPOSITORY
                + "=false); a missing one is reported from the push");
      }
      return destination(target, registry, token, notes);
    }
  }

  /**
   * A new token in place of the refused one (an ECR token can be refused before its {@code
   * expiresAt} when the role session behind it ends); a target's own credential is read again.
   */
  @Override
  public Optional<RegistryCredential> renewCredential(
      TargetSpec target, PushDestination refused, Environment environment)
      throws IOException, InterruptedException {
    if (target.credentials().isPresent()) {
      return target.credentials().get().resolve(target.reference().getRegistry(), environment);
    }
    EcrRegistryHost registry = registryOf(target);
    String refusedSecret = refused.credential().map(RegistryCredential::secret).orElse("");
    try (EcrApi api = EcrApi.open(registry, environment)) {
      return Optional.of(
          tokens
              .renew(registry.host(), refusedSecret, () -> api.authorizationToken(clock))
              .credential());
    }
  }

  @Override
  public OptionalInt manifestUploadsPerSecond() {
    return OptionalInt.of(PUT_IMAGE_PER_SECOND);
  }

  /**
   * Makes two answers final, explained from the target and the request: an immutable tag that
   * exists ({@value #TAG_INVALID} on a manifest upload) and a repository that does not ({@value
   * #NAME_UNKNOWN}).
   */
  @Override
  public RegistryFailure refine(RegistryFailure failure, PushContext context) {
    String repository = context.target().reference().getRepository();
    if (failure.errorCodes().contains(TAG_INVALID)) {
      return failure.permanent(immutableTag(tagOf(failure), repository));
    }
    if (failure.status().orElse(0) == 404 && failure.errorCodes().contains(NAME_UNKNOWN)) {
      return failure.permanent(missingRepository(context.target(), failure));
    }
    return failure;
  }

  /**
   * Creates the repository unless it exists. A role that may not describe repositories (a
   * push-only role) is not stopped: its push is tried, and ECR says if the repository is missing.
   */
  private static void ensureRepository(
      EcrApi api, String repository, RepositorySettings settings, List<String> notes)
      throws IOException {
    EcrApi.Lookup found = api.findRepository(repository);
    if (found == EcrApi.Lookup.EXISTS) {
      return;
    }
    if (found == EcrApi.Lookup.NOT_ALLOWED) {
      notes.add(
          "repository not looked up: DescribeRepositories was refused (AccessDeniedException), so"
              + " the push was tried");
      return;
    }
    if (api.createRepository(repository, settings)) {
      notes.add("created ECR repository " + repository + " (" + settings.describe() + ")");
    } else {
      notes.add("ECR repository " + repository + " was created meanwhile by another client");
    }
  }

  /**
   * Where to push with a token: the endpoint it was issued for, as {@code docker login} does. That
   * is the target's own host for ECR itself, and the stand-in for an endpoint override (a test's
   * stub, LocalStack). Since {@code GetAuthorizationToken}'s {@code registryIds} was deprecated, the
   * endpoint names the caller's own account; a token covers every registry the caller may reach,
   * so a push to another account's registry goes to the target's host.
   */
  private PushDestination destination(
      TargetSpec target, EcrRegistryHost registry, EcrToken token, List<String> notes)
      throws IOException {
    URI endpoint = token.proxyEndpoint();
    String endpointHost = endpoint.getPort() < 0 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
    String pushHost =
        KnownRegistry.ECR.matches(endpoint.getHost()) ? registry.host() : endpointHost;
    boolean plain = "http".equalsIgnoreCase(endpoint.getScheme());
    if (plain && !target.plainHttp()) {
      throw new IOException(
          "the ECR token's endpoint "
              + endpoint
              + " speaks plain HTTP; allow it with Target.allowPlainHttp() if it is a stand-in on"
              + " this machine");
    }
    if (!EndpointSafety.credentialsMayTravel(endpoint.getHost(), target.plainHttp())) {
      throw new IOException(
          "the ECR token's endpoint "
              + endpoint
              + " is not on this machine, and allowPlainHttp() sends the token unprotected only to"
              + " a loopback address");
    }
    if (!pushHost.equals(registry.host())) {
      notes.add("pushed through " + pushHost + ", the endpoint ECR gave with the token");
    }
    ImageReference reference =
        ImageReference.of(pushHost, target.reference().getRepository(), null);
    return new PushDestination(reference, Optional.of(token.credential()), notes);
  }

  private static PushDestination withOwnCredential(
      TargetSpec target, CredentialSource source, Environment environment) throws IOException {
    Optional<RegistryCredential> credential =
        source.resolve(target.reference().getRegistry(), environment);
    return new PushDestination(
        target.reference(),
        credential,
        List.of("pushed with the target's own credential; the repository was not checked"));
  }

  private static EcrRegistryHost registryOf(TargetSpec target) throws IOException {
    String host = target.reference().getRegistry();
    return EcrRegistryHost.parse(host)
        .orElseThrow(() -> new IOException(host + " is not an ECR registry host"));
  }

  /** The tag of a manifest upload, from the request's path; empty for any other request. */
  private static Optional<String> tagOf(RegistryFailure failure) {
    return failure
        .path()
        .filter(path -> path.contains(MANIFESTS))
        .map(path -> path.substring(path.lastIndexOf(MANIFESTS) + MANIFESTS.length()));
  }

  private static String missingRepository(TargetSpec target, RegistryFailure failure) {
    String repository = target.reference().getRepository();
    Optional<EcrRegistryHost> registry = EcrRegistryHost.parse(target.reference().getRegistry());
    String creation =
        RepositorySettings.from(target.options()).create()
            ? "give the role ecr:DescribeRepositories and ecr:CreateRepository, and Fanout creates"
                + " it"
            : "let Fanout create it (drop "
                + EcrOptions.CREATE_REPOSITORY
                + "=false; needs ecr:DescribeRepositories and ecr:CreateRepository)";
    return "ECR repository "
        + repository
        + " does not exist in "
        + registry.map(EcrRegistryHost::describe).orElse(target.reference().getRegistry())
        + " ("
        + NAME_UNKNOWN
        + ": "
        + failure.message()
        + "), and no repository creation template created it on push: create it (aws ecr"
        + " create-repository --repository-name "
        + repository
        + registry.map(found -> " --region " + found.region()).orElse("")
        + "), add a creation template that applies on push (CREATE_ON_PUSH), or "
        + creation;
  }

  private static String immutableTag(Optional<String> tag, String repository) {
    return tag.map(name -> "tag '" + name + "'").orElse("the tag")
        + " already exists in ECR repository '"
        + repository
        + "', whose tags are immutable ("
        + TAG_INVALID
        + "); not retried: push a new tag, or make the repository's tags mutable";
  }
}
