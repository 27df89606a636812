package dev.fanout.dockerhub;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.RegistryImage;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * Docker Hub for Fanout users: the variables its backend reads, the credential that makes pulls of
 * Docker Hub base images count against the account's higher limit, and a pull-quota check that
 * spends no pull.
 *
 * <pre>{@code
 * Environment env = Environment.system();
 * Pipeline.prepare(env)
 *     .image(Jib.from(DockerHub.baseImage("eclipse-temurin:21-jre", env)).addLayer(...))
 *     .when(credentialPresent(DockerHub.USERNAME_VARIABLE, DockerHub.TOKEN_VARIABLE))
 *         .push("docker.io/acme/app")
 *     .run();
 * }</pre>
 */
public final class DockerHub {

  /** The Docker ID to log in with. */
  public static final String USERNAME_VARIABLE = "DOCKERHUB_USERNAME";

  /** A personal access token with Read &amp; Write permission; what Docker recommends. */
  public static final String TOKEN_VARIABLE = "DOCKERHUB_TOKEN";

  /** The account password, used when {@link #TOKEN_VARIABLE} is not set. */
  public static final String PASSWORD_VARIABLE = "DOCKERHUB_PASSWORD";

  /**
   * The registry to push Docker Hub targets to instead of {@code https://registry-1.docker.io}: a
   * mirror, or a local registry in tests. A base URL such as {@code https://mirror.example.com};
   * {@code http://} only for a loopback address, and then the target must allow plain HTTP.
   */
  public static final String REGISTRY_URL_VARIABLE = "DOCKERHUB_REGISTRY_URL";

  /**
   * The token service the quota check asks instead of {@code https://auth.docker.io/token}. Pushes
   * use the token service that the registry names in its challenge, as every registry client does.
   */
  public static final String AUTH_URL_VARIABLE = "DOCKERHUB_AUTH_URL";

  /**
   * {@code false} turns off the pull-quota check that each run makes for its Docker Hub targets;
   * {@code true} (the default) keeps it.
   */
  public static final String QUOTA_CHECK_VARIABLE = "DOCKERHUB_QUOTA_CHECK";

  private DockerHub() {}

  /**
   * The Docker Hub credential: {@value #USERNAME_VARIABLE} with {@value #TOKEN_VARIABLE} (or
   * {@value #PASSWORD_VARIABLE}), else the Docker Hub entry of Docker's {@code config.json}, else
   * none. It answers only for Docker Hub's hosts and the host of {@value #REGISTRY_URL_VARIABLE},
   * so it never hands a Docker Hub token to another registry.
   *
   * <p>Give it to {@code ImageSource.registryImage(reference, DockerHub.credentials(), env)} to
   * copy a Docker Hub image with the account's pull limit; Docker Hub targets use it by default.
   *
   * @return the source; it reads nothing until asked
   */
  public static CredentialSource credentials() {
    return new DockerHubCredentials();
  }

  /**
   * A Docker Hub base image for {@code Jib.from(...)}, pulled with the Docker Hub credential when
   * there is one, so that its pulls count against the account's limit (200 per 6 h for a personal
   * account) rather than the address's anonymous one (100). Names are read as Docker Hub reads
   * them: {@code eclipse-temurin:21}, {@code docker.io/eclipse-temurin:21} and {@code
   * library/eclipse-temurin:21} are the same image.
   *
   * <p>Nothing is read now: Jib asks for the credential when it pulls, from {@code environment}.
   *
   * @param reference the image, for example {@code eclipse-temurin:21-jre}
   * @param environment the variables the credential is read from, normally the pipeline's
   * @return the image
   * @throws IllegalArgumentException when the reference is not a Docker Hub image reference
   */
  public static RegistryImage baseImage(String reference, Environment environment) {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(environment, "environment");
    ImageReference parsed;
    try {
      parsed = ImageReference.parse(reference);
    } catch (InvalidImageReferenceException e) {
      throw new IllegalArgumentException("'" + reference + "' is not a valid image reference", e);
    }
    if (!DockerHubNames.isDockerHub(parsed.getRegistry())) {
      throw new IllegalArgumentException(
          "'" + reference + "' is on " + parsed.getRegistry() + ", not Docker Hub; use"
              + " RegistryImage.named(...) with that registry's credential");
    }
    ImageReference image = DockerHubNames.normalize(parsed);
    CredentialSource credentials = credentials();
    return RegistryImage.named(image)
        .addCredentialRetriever(credentials.jibRetriever(image.getRegistry(), environment));
  }

  /**
   * Asks Docker Hub how many pulls are left, without spending one: a token for {@code
   * ratelimitpreview/test}, then a {@code HEAD} of its manifest, as Docker documents. The
   * figure is the account's when the Docker Hub credential is present, else this address's.
   *
   * @param environment the credential and endpoint variables
   * @return the quota, or empty when Docker Hub sends no rate-limit headers: pulls are not limited
   * @throws IOException when Docker Hub cannot be reached or refuses the credential
   * @throws InterruptedException when interrupted
   * @throws IllegalArgumentException when {@value #REGISTRY_URL_VARIABLE} or {@value
   *     #AUTH_URL_VARIABLE} is unusable
   */
  public static Optional<PullQuota> pullQuota(Environment environment)
      throws IOException, InterruptedException {
    DockerHubEndpoints endpoints = DockerHubEndpoints.of(environment);
    return new QuotaCheck(endpoints)
        .check(credentials().resolve(DockerHubNames.REGISTRY, environment));
  }
}
