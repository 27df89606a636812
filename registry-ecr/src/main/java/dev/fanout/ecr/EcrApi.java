package dev.fanout.ecr;

import dev.fanout.Environment;
import dev.fanout.RegistryCredential;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.EcrClientBuilder;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.RepositoryAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The three ECR API calls a push needs, through the AWS SDK v2 {@link EcrClient}, for one registry.
 *
 * <p>Throttling ({@code ThrottlingException}), 5xx and I/O errors are retried by the SDK's STANDARD
 * retry mode (3 attempts, jittered backoff, throttling backoff from 1 s); nothing here adds a loop
 * of its own around the calls. Every SDK failure becomes an {@link IOException} whose message names
 * the call, the registry and the ECR error code, never a secret.
 *
 * <p>Opened per target and closed once the target is readied: the SDK client, its HTTP client and
 * the credential providers hold no state worth keeping between targets (the registry token is
 * cached by {@link TokenCache}), and a backend has no end-of-run hook to close them later.
 */
final class EcrApi implements AutoCloseable {

  /**
   * Time to open a connection to the ECR API. The API answers in milliseconds; an endpoint that
   * does not accept a connection within this is unreachable.
   */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Time to wait for bytes of an answer once connected. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The longest one API call may take, the SDK's retries included, so a stuck endpoint fails the
   * target instead of holding the run.
   */
  static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);

  /** The user name in every ECR registry token. */
  static final String TOKEN_USER = "AWS";

  /** The error code of an IAM refusal of an ECR API call. */
  static final String ACCESS_DENIED = "AccessDeniedException";

  private final EcrRegistryHost registry;
  private final EcrClient client;
  private final List<SdkAutoCloseable> resources;

  private EcrApi(EcrRegistryHost registry, EcrClient client, List<SdkAutoCloseable> resources) {
    this.registry = registry;
    this.client = client;
    this.resources = resources;
  }

  /**
   * Opens the API of a registry: its region from the host, the credential chain and endpoint
   * overrides from the {@link Environment}.
   *
   * @param registry the registry
   * @param environment the pipeline's environment
   * @return the API
   * @throws IOException when no AWS credentials are configured
   */
  static EcrApi open(EcrRegistryHost registry, Environment environment) throws IOException {
    List<SdkAutoCloseable> resources = new ArrayList<>();
    SdkHttpClient http =
        UrlConnectionHttpClient.builder()
            .connectionTimeout(CONNECT_TIMEOUT)
            .socketTimeout(READ_TIMEOUT)
            .build();
    resources.add(http);
    try {
      Region region = Region.of(registry.region());
      AwsCredentialChain chain = new AwsCredentialChain(environment);
      AwsCredentialChain.Profiles profiles = chain.profiles();
      EcrClientBuilder builder =
          EcrClient.builder()
              .region(region)
              .fipsEnabled(registry.fips())
              .httpClient(http)
              .credentialsProvider(chain.provider(region, http, resources))
              .overrideConfiguration(
                  o ->
                      o.retryStrategy(RetryMode.STANDARD)
                          .apiCallTimeout(CALL_TIMEOUT)
                          .defaultProfileFile(profiles.file())
                          .defaultProfileName(profiles.name()));
      EcrEndpoints.override(environment, EcrEndpoints.ECR_ENDPOINT).ifPresent(builder::endpointOverride);
      EcrClient client = builder.build();
      resources.add(client);
      return new EcrApi(registry, client, resources);
    } catch (IOException e) {
      closeAll(resources);
      throw new IOException(
          "cannot call the ECR API of " + registry.describe() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeAll(resources);
      throw e;
    }
  }

  /**
   * {@code GetAuthorizationToken}: the registry credential ({@code AWS} and the decoded password),
   * its endpoint and its expiry.
   *
   * @param clock the clock that dates the token
   * @return the token
   * @throws IOException when ECR refuses or cannot be reached
   */
  EcrToken authorizationToken(Clock clock) throws IOException {
    Instant fetchedAt = clock.instant();
    List<AuthorizationData> data;
    try {
      data = client.getAuthorizationToken(request -> {}).authorizationData();
    } catch (SdkException e) {
      throw failure("GetAuthorizationToken", e);
    }
    if (data.isEmpty() || data.get(0).authorizationToken() == null) {
      throw new IOException(
          "ECR GetAuthorizationToken for " + registry.describe() + " returned no token");
    }
    AuthorizationData first = data.get(0);
    String decoded;
    try {
      decoded =
          new String(Base64.getDecoder().decode(first.authorizationToken()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "ECR GetAuthorizationToken for " + registry.describe() + " returned a token that is not base64");
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0 || colon == decoded.length() - 1) {
      throw new IOException(
          "ECR GetAuthorizationToken for "
              + registry.describe()
              + " returned a token that is not 'user:password'");
    }
    RegistryCredential credential =
        RegistryCredential.of(decoded.substring(0, colon), decoded.substring(colon + 1));
    URI endpoint = proxyEndpoint(first.proxyEndpoint());
    Instant expiresAt = first.expiresAt() != null ? first.expiresAt() : fetchedAt;
    return new EcrToken(credential, endpoint, fetchedAt, expiresAt);
  }

  /**
   * {@code DescribeRepositories} for one repository.
   *
   * @param repository the repository's name
   * @return whether it exists, or that the caller may not ask ({@code AccessDeniedException}, as
   *     for a role that may only push)
   * @throws IOException when ECR refuses otherwise or cannot be reached
   */
  Lookup findRepository(String repository) throws IOException {
    try {
      return client
              .describeRepositories(
                  request -> request.registryId(registry.account()).repositoryNames(repository))
              .repositories()
              .isEmpty()
          ? Lookup.MISSING
          : Lookup.EXISTS;
    } catch (RepositoryNotFoundException e) {
      return Lookup.MISSING;
    } catch (AwsServiceException e) {
      if (e.awsErrorDetails() != null
          && ACCESS_DENIED.equals(e.awsErrorDetails().errorCode())) {
        return Lookup.NOT_ALLOWED;
      }
      throw failure("DescribeRepositories", e);
    } catch (SdkException e) {
      throw failure("DescribeRepositories", e);
    }
  }

  /** What {@link #findRepository(String)} found. */
  enum Lookup {
    /** The repository exists. */
    EXISTS,
    /** It does not. */
    MISSING,
    /** The caller may not look repositories up. */
    NOT_ALLOWED
  }

  /**
   * {@code CreateRepository}.
   *
   * @param repository the repository's name
   * @param settings how to create it
   * @return true when this call created it, false when another creator was first ({@code
   *     RepositoryAlreadyExistsException}, which counts as success)
   * @throws IOException when ECR refuses or cannot be reached
   */
  boolean createRepository(String repository, RepositorySettings settings) throws IOException {
    try {
      client.createRepository(settings.createRequest(registry, repository));
      return true;
    } catch (RepositoryAlreadyExistsException e) {
      return false;
    } catch (SdkException e) {
      throw failure("CreateRepository for " + repository, e);
    }
  }

  @Override
  public void close() {
    closeAll(resources);
  }

  private URI proxyEndpoint(String value) throws IOException {
    if (value == null || value.isBlank()) {
      return URI.create("https://" + registry.host());
    }
    try {
      URI uri = URI.create(value.trim());
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("no host");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "ECR GetAuthorizationToken for "
              + registry.describe()
              + " returned an endpoint that is not a URL: "
              + value);
    }
  }

  private IOException failure(String call, SdkException e) {
    String detail;
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      detail =
          service.awsErrorDetails().errorCode() + ": " + firstLine(service.awsErrorDetails().errorMessage());
    } else {
      detail = firstLine(e.getMessage());
    }
    return new IOException("ECR " + call + " failed for " + registry.describe() + ": " + detail, e);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  private static void closeAll(List<SdkAutoCloseable> resources) {
    for (int index = resources.size() - 1; index >= 0; index--) {
      resources.get(index).close();
    }
  }
}
