package dev.fanout.ecr;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.RegistryCredential;
import dev.fanout.spi.EndpointSafety;
import dev.fanout.spi.KnownRegistry;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pushes to AWS ECR with a registry token from the AWS SDK ({@code GetAuthorizationToken}), after
 * making sure the repository exists ({@code DescribeRepositories}, then {@code CreateRepository}
 * unless switched off). One instance serves one run: its token cache gives every target on a
 * registry the same token.
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

  /** ECR's wording of an immutable-tag rejection, which names the tag and the repository. */
  private static final Pattern ECR_IMMUTABLE_TAG =
      Pattern.compile("image tag '([^']+)' already exists in the '([^']+)' repository");

  /**
   * Jib's description of the manifest upload it made. Jib reads a 400 {@code TAG_INVALID} on a
   * manifest as "Registry may not support pushing OCI Manifest...", which misleads for ECR, so only
   * the repository and tag are taken from its message.
   */
  private static final Pattern JIB_MANIFEST_PUSH =
      Pattern.compile("image manifest for [^/\\s]+/([^\\s:]+):(\\S+) but failed");

  /** The manifest upload request, as a failure's message may show it. */
  private static final Pattern MANIFEST_URL =
      Pattern.compile("/v2/([^\\s)]+)/manifests/([^\\s)/]+)");

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
    String host = target.reference().getRegistry();
    EcrRegistryHost registry =
        EcrRegistryHost.parse(host)
            .orElseThrow(() -> new IOException(host + " is not an ECR registry host"));
    if (target.credentials().isPresent()) {
      return withOwnCredential(target, target.credentials().get(), environment);
    }
    String repository = target.reference().getRepository();
    RepositorySettings settings = RepositorySettings.from(target.options());
    List<String> notes = new ArrayList<>();
    try (EcrApi api = EcrApi.open(registry, environment)) {
      EcrToken token = tokens.get(registry.host(), () -> api.authorizationToken(clock));
      ensureRepository(api, registry, repository, settings, notes);
      return destination(target, registry, token, notes);
    }
  }

  /**
   * Makes an immutable-tag rejection final, with a message that names the tag and the repository,
   * and forgets the cached tokens after a 401 so that the engine's fresh preparation fetches a new
   * one (an ECR token can expire before its {@code expiresAt} when the role session behind it
   * ends).
   */
  @Override
  public OptionalInt manifestUploadsPerSecond() {
    return OptionalInt.of(PUT_IMAGE_PER_SECOND);
  }

  @Override
  public RegistryFailure refine(RegistryFailure failure) {
    if (failure.status().equals(OptionalInt.of(401))) {
      tokens.invalidateAll();
    }
    if (failure.errorCodes().contains(TAG_INVALID) || failure.message().contains(TAG_INVALID)) {
      return failure.permanent(immutableTagMessage(failure.message()));
    }
    return failure;
  }

  private void ensureRepository(
      EcrApi api,
      EcrRegistryHost registry,
      String repository,
      RepositorySettings settings,
      List<String> notes)
      throws IOException {
    if (api.repositoryExists(repository)) {
      return;
    }
    if (!settings.create()) {
      throw new IOException(
          "repository "
              + repository
              + " does not exist in "
              + registry.describe()
              + ", and repository creation is off ("
              + EcrOptions.CREATE_REPOSITORY
              + "=false): create the repository, or drop the option to let Fanout create it");
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

  private static String immutableTagMessage(String message) {
    Matcher ecr = ECR_IMMUTABLE_TAG.matcher(message);
    if (ecr.find()) {
      return immutableTag(ecr.group(1), ecr.group(2));
    }
    Matcher jib = JIB_MANIFEST_PUSH.matcher(message);
    if (jib.find()) {
      return immutableTag(jib.group(2), jib.group(1));
    }
    Matcher url = MANIFEST_URL.matcher(message);
    if (url.find()) {
      return immutableTag(url.group(2), url.group(1));
    }
    return "the registry refused the tag (" + TAG_INVALID + "), which ECR answers when a tag already"
        + " exists in a repository with immutable tags; not retried: " + message;
  }

  private static String immutableTag(String tag, String repository) {
    return "tag '"
        + tag
        + "' already exists in ECR repository '"
        + repository
        + "', whose tags are immutable ("
        + TAG_INVALID
        + "); not retried: push a new tag, or make the repository's tags mutable";
  }
}
