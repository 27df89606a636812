package dev.fanout.dockerhub;

import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.RegistryCredential;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Docker Hub credential: {@code DOCKERHUB_USERNAME} with {@code DOCKERHUB_TOKEN} (or {@code
 * DOCKERHUB_PASSWORD}), else the Docker Hub entry of Docker's {@code config.json}, else none.
 *
 * <p>It answers only for Docker Hub's hosts and for the host of {@link
 * DockerHub#REGISTRY_URL_VARIABLE}, so that it can be handed to a pull of any image without sending
 * a Docker Hub token to another registry.
 */
final class DockerHubCredentials implements CredentialSource {

  @Override
  public Optional<RegistryCredential> resolve(String registryHost, Environment environment)
      throws IOException {
    if (!servesDockerHub(registryHost, environment)) {
      return Optional.empty();
    }
    Optional<RegistryCredential> fromVariables = fromVariables(environment);
    if (fromVariables.isPresent()) {
      return fromVariables;
    }
    return CredentialSource.dockerConfig().resolve(DockerHubNames.REGISTRY, environment);
  }

  @Override
  public boolean mayProvide(String registryHost, Environment environment) {
    return servesDockerHub(registryHost, environment)
        && ((environment.isSet(DockerHub.USERNAME_VARIABLE) && secret(environment).isPresent())
            || CredentialSource.dockerConfig().mayProvide(DockerHubNames.REGISTRY, environment));
  }

  @Override
  public Optional<RegistryCredential> resolveLocally(String registryHost, Environment environment) {
    if (!servesDockerHub(registryHost, environment)) {
      return Optional.empty();
    }
    return fromVariables(environment)
        .or(
            () ->
                CredentialSource.dockerConfig()
                    .resolveLocally(DockerHubNames.REGISTRY, environment));
  }

  /**
   * Half-set variables, which would otherwise silently fall back to {@code config.json} or an
   * anonymous push.
   */
  @Override
  public List<String> problems(Environment environment) {
    List<String> problems = new ArrayList<>();
    boolean username = environment.isSet(DockerHub.USERNAME_VARIABLE);
    boolean secret = secret(environment).isPresent();
    if (username && !secret) {
      problems.add(
          DockerHub.USERNAME_VARIABLE + " is set, but "
              + environment.whyNoValue(DockerHub.TOKEN_VARIABLE) + " and "
              + environment.whyNoValue(DockerHub.PASSWORD_VARIABLE) + ": set "
              + DockerHub.TOKEN_VARIABLE
              + " to a personal access token with Read & Write permission");
    }
    if (secret && !username) {
      problems.add(
          (environment.isSet(DockerHub.TOKEN_VARIABLE)
                  ? DockerHub.TOKEN_VARIABLE
                  : DockerHub.PASSWORD_VARIABLE)
              + " is set, but " + environment.whyNoValue(DockerHub.USERNAME_VARIABLE)
              + ": set it to your Docker ID");
    }
    return problems;
  }

  private static Optional<RegistryCredential> fromVariables(Environment environment) {
    Optional<String> username = environment.value(DockerHub.USERNAME_VARIABLE);
    Optional<String> secret = secret(environment);
    return username.isPresent() && secret.isPresent()
        ? Optional.of(RegistryCredential.of(username.get(), secret.get()))
        : Optional.empty();
  }

  private static Optional<String> secret(Environment environment) {
    return environment
        .value(DockerHub.TOKEN_VARIABLE)
        .or(() -> environment.value(DockerHub.PASSWORD_VARIABLE));
  }

  /** Docker Hub itself, or the host its override points at (a mirror, a test registry). */
  private static boolean servesDockerHub(String registryHost, Environment environment) {
    if (DockerHubNames.isDockerHub(registryHost)) {
      return true;
    }
    if (!DockerHubEndpoints.problems(environment).isEmpty()) {
      return false;
    }
    DockerHubEndpoints endpoints = DockerHubEndpoints.of(environment);
    return endpoints.registryOverridden()
        && endpoints.registryHost().equalsIgnoreCase(registryHost);
  }

  @Override
  public String toString() {
    return "$" + DockerHub.USERNAME_VARIABLE + " with $" + DockerHub.TOKEN_VARIABLE + " or $"
        + DockerHub.PASSWORD_VARIABLE + ", else Docker config.json";
  }
}
