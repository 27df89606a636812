package dev.fanout;

import dev.fanout.internal.credentials.DockerConfigCredentials;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a target's registry credential comes from.
 *
 * <p>A source is declared with the pipeline and resolved only when a run prepares its targets, so
 * declaring one reads nothing. {@link #problems(Environment)} lets a plan report a source that
 * cannot work (a variable that is not set) before any network I/O.
 */
public interface CredentialSource {

  /**
   * Resolves the credential for a registry.
   *
   * @param registryHost the registry's host (and port), as in the image reference
   * @param environment the pipeline's environment
   * @return the credential, or empty to push anonymously
   * @throws IOException when a file that should hold the credential cannot be read
   */
  Optional<RegistryCredential> resolve(String registryHost, Environment environment)
      throws IOException;

  /**
   * What makes this source unusable in {@code environment}, found without I/O.
   *
   * @param environment the pipeline's environment
   * @return the problems; empty when the source looks usable
   */
  default List<String> problems(Environment environment) {
    return List.of();
  }

  /**
   * A credential given directly, for example read by the caller from a secret store.
   *
   * @param username the user name
   * @param secret the password or token
   * @return the source
   */
  static CredentialSource of(String username, String secret) {
    RegistryCredential credential = RegistryCredential.of(username, secret);
    return new CredentialSource() {
      @Override
      public Optional<RegistryCredential> resolve(String registryHost, Environment environment) {
        return Optional.of(credential);
      }

      @Override
      public String toString() {
        return "credential for user " + credential.username();
      }
    };
  }

  /**
   * A user name and secret read from two environment variables, for example {@code
   * GHCR_USERNAME} and {@code GHCR_TOKEN}. A plan reports either variable being unset.
   *
   * @param usernameVariable the variable holding the user name
   * @param secretVariable the variable holding the password or token
   * @return the source
   */
  static CredentialSource fromEnvironment(String usernameVariable, String secretVariable) {
    Objects.requireNonNull(usernameVariable, "usernameVariable");
    Objects.requireNonNull(secretVariable, "secretVariable");
    return new CredentialSource() {
      @Override
      public Optional<RegistryCredential> resolve(String registryHost, Environment environment) {
        return environment
            .value(usernameVariable)
            .flatMap(
                username ->
                    environment
                        .value(secretVariable)
                        .map(secret -> RegistryCredential.of(username, secret)));
      }

      @Override
      public List<String> problems(Environment environment) {
        return List.of(usernameVariable, secretVariable).stream()
            .filter(name -> !environment.isSet(name))
            .map(name -> name + " is not set")
            .toList();
      }

      @Override
      public String toString() {
        return "credential from $" + usernameVariable + " and $" + secretVariable;
      }
    };
  }

  /**
   * The entry for the registry in Docker's {@code config.json} ({@code auths}, {@code credHelpers}
   * and {@code credsStore}), found at {@code $DOCKER_CONFIG/config.json} or else {@code
   * $HOME/.docker/config.json}. No file, or no entry for the registry, means anonymous.
   *
   * @return the source
   */
  static CredentialSource dockerConfig() {
    return new DockerConfigCredentials();
  }

  /**
   * No credential: push anonymously.
   *
   * @return the source
   */
  static CredentialSource anonymous() {
    return new CredentialSource() {
      @Override
      public Optional<RegistryCredential> resolve(String registryHost, Environment environment) {
        return Optional.empty();
      }

      @Override
      public String toString() {
        return "anonymous";
      }
    };
  }
}
