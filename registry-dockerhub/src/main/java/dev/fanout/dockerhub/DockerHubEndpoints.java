package dev.fanout.dockerhub;

import dev.fanout.Environment;
import dev.fanout.spi.EndpointSafety;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where Docker Hub is reached: its registry API and its token service, or the overrides of {@link
 * DockerHub#REGISTRY_URL_VARIABLE} and {@link DockerHub#AUTH_URL_VARIABLE} (a mirror, or a local
 * registry in tests). Targets keep their Docker Hub name in plans and reports either way.
 *
 * @param registry the registry's base URL, without a path
 * @param tokenService the token service to ask directly, when known; when empty, the realm the
 *     registry names in its challenge
 * @param registryOverridden whether the registry URL came from the environment
 */
record DockerHubEndpoints(URI registry, Optional<URI> tokenService, boolean registryOverridden) {

  /** Docker Hub's registry API. */
  static final URI DEFAULT_REGISTRY = URI.create("https://" + DockerHubNames.REGISTRY);

  /**
   * Docker Hub's token service, the realm of its Bearer challenge. Asked directly only while the
   * registry is Docker Hub itself; behind an overridden registry the realm comes from that
   * registry's challenge unless {@link DockerHub#AUTH_URL_VARIABLE} names one.
   */
  static final URI DEFAULT_TOKEN_SERVICE = URI.create("https://auth.docker.io/token");

  /** The {@code service} Docker Hub's tokens are issued for, and their audience. */
  static final String SERVICE = "registry.docker.io";

  /**
   * The endpoints an environment selects.
   *
   * @param environment the pipeline's environment
   * @return the endpoints
   * @throws IllegalArgumentException when an override is unusable; the message says why
   */
  static DockerHubEndpoints of(Environment environment) {
    List<String> problems = problems(environment);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    Optional<URI> registry =
        environment.value(DockerHub.REGISTRY_URL_VARIABLE).map(DockerHubEndpoints::parse);
    Optional<URI> tokenService =
        environment.value(DockerHub.AUTH_URL_VARIABLE).map(DockerHubEndpoints::parse);
    if (registry.isEmpty() && tokenService.isEmpty()) {
      tokenService = Optional.of(DEFAULT_TOKEN_SERVICE);
    }
    return new DockerHubEndpoints(
        registry.map(DockerHubEndpoints::withoutPath).orElse(DEFAULT_REGISTRY),
        tokenService,
        registry.isPresent());
  }

  /**
   * What is wrong with the overrides in an environment, found without I/O.
   *
   * @param environment the pipeline's environment
   * @return one sentence per problem
   */
  static List<String> problems(Environment environment) {
    List<String> problems = new ArrayList<>();
    environment
        .value(DockerHub.REGISTRY_URL_VARIABLE)
        .ifPresent(
            value ->
                problems.addAll(
                    EndpointSafety.overrideProblems(DockerHub.REGISTRY_URL_VARIABLE, value, true)));
    environment
        .value(DockerHub.AUTH_URL_VARIABLE)
        .ifPresent(
            value ->
                problems.addAll(
                    EndpointSafety.overrideProblems(DockerHub.AUTH_URL_VARIABLE, value, false)));
    return problems;
  }

  /**
   * The registry as Jib names it: host and port.
   *
   * @return for example {@code registry-1.docker.io} or {@code 127.0.0.1:5000}
   */
  String registryHost() {
    return registry.getPort() < 0
        ? registry.getHost()
        : registry.getHost() + ":" + registry.getPort();
  }

  /**
   * Whether the registry is reached over plain HTTP; then the target must allow it.
   *
   * @return true for an {@code http://} override
   */
  boolean plainHttp() {
    return registry.getScheme().equalsIgnoreCase("http");
  }

  private static URI parse(String value) {
    return URI.create(value.trim());
  }

  private static URI withoutPath(URI url) {
    return URI.create(url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getRawAuthority());
  }
}
