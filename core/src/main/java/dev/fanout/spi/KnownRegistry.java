package dev.fanout.spi;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Registries that have a backend module of their own. The generic OCI backend declines their hosts
 * so that a missing module is an error that names it, instead of a push that fails later with a
 * registry's cryptic answer. Each backend module claims its hosts through {@link #matches(String)}.
 */
public enum KnownRegistry {

  /** Docker Hub, under any of its host names (Jib writes {@code docker.io} as registry-1). */
  DOCKER_HUB(
      "Docker Hub",
      "dockerhub",
      "fanout-registry-dockerhub",
      "docker\\.io|index\\.docker\\.io|registry-1\\.docker\\.io|registry\\.hub\\.docker\\.com"),

  /** AWS ECR private registries, including the FIPS and China partition host names. */
  ECR(
      "AWS ECR",
      "ecr",
      "fanout-registry-ecr",
      "[0-9]{12}\\.dkr\\.ecr(-fips)?\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?"),

  /**
   * Google Artifact Registry; {@code gcr.io} names are served by Artifact Registry since Container
   * Registry shut down in March 2025.
   */
  ARTIFACT_REGISTRY(
      "Google Artifact Registry",
      "gar",
      "fanout-registry-gar",
      "[a-z0-9-]+-docker\\.pkg\\.dev|([a-z]+\\.)?gcr\\.io");

  private final String displayName;
  private final String backendId;
  private final String artifactId;
  private final Pattern hosts;

  KnownRegistry(String displayName, String backendId, String artifactId, String hostPattern) {
    this.displayName = displayName;
    this.backendId = backendId;
    this.artifactId = artifactId;
    this.hosts = Pattern.compile(hostPattern);
  }

  /**
   * Whether a host belongs to this registry.
   *
   * @param registryHost the host, without a port for these registries
   * @return true when it does
   */
  public boolean matches(String registryHost) {
    return hosts.matcher(registryHost).matches();
  }

  /**
   * The known registry a host belongs to.
   *
   * @param registryHost the host
   * @return the registry, or empty for any other host
   */
  public static Optional<KnownRegistry> of(String registryHost) {
    for (KnownRegistry registry : values()) {
      if (registry.matches(registryHost)) {
        return Optional.of(registry);
      }
    }
    return Optional.empty();
  }

  /**
   * The registry's name for people.
   *
   * @return for example "AWS ECR"
   */
  public String displayName() {
    return displayName;
  }

  /**
   * The id of the backend that serves it.
   *
   * @return for example "ecr"
   */
  public String backendId() {
    return backendId;
  }

  /**
   * The Maven artifact (group {@code dev.fanout}) that holds its backend.
   *
   * @return for example "fanout-registry-ecr"
   */
  public String artifactId() {
    return artifactId;
  }
}
