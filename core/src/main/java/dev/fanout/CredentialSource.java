package dev.fanout;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.registry.credentials.CredentialRetrievalException;
import dev.fanout.internal.credentials.HeldSecrets;
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
   * Whether this source may give a credential for a registry, decided without network I/O and
   * without running a program (a credential helper). A plan refuses a target whose credential
   * could travel over plain HTTP to another machine, so a source that cannot tell answers true.
   *
   * @param registryHost the registry's host (and port)
   * @param environment the pipeline's environment
   * @return false only when the source certainly gives none; true unless overridden
   */
  default boolean mayProvide(String registryHost, Environment environment) {
    return true;
  }

  /**
   * The credential for a registry when it can be read without network I/O and without running a
   * program: given directly, in the environment, in {@code config.json}'s {@code auths}. A run
   * masks these before any target's work starts; the others are masked the moment they are read.
   *
   * @param registryHost the registry's host (and port)
   * @param environment the pipeline's environment
   * @return the credential, or empty when it cannot be read so; empty unless overridden
   */
  default Optional<RegistryCredential> resolveLocally(
      String registryHost, Environment environment) {
    return Optional.empty();
  }

  /**
   * This source as Jib's credential retriever, for a base image on a registry: Jib asks it only
   * when it pulls, so declaring a base image with it reads nothing.
   *
   * @param registryHost the base image's registry host (and port)
   * @param environment the pipeline's environment
   * @return the retriever, for {@code RegistryImage.addCredentialRetriever}
   */
  default CredentialRetriever jibRetriever(String registryHost, Environment environment) {
    return () -> {
      try {
        return resolve(registryHost, environment)
            .map(found -> Credential.from(found.username(), found.secret()));
      } catch (IOException e) {
        throw new CredentialRetrievalException(e);
      }
    };
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
        // Made before any run watched: each run that reads it hears of it now.
        HeldSecrets.read(credential.username(), credential.secret());
        return Optional.of(credential);
      }

      @Override
      public Optional<RegistryCredential> resolveLocally(
          String registryHost, Environment environment) {
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
      public Optional<RegistryCredential> resolveLocally(
          String registryHost, Environment environment) {
        return resolve(registryHost, environment);
      }

      @Override
      public boolean mayProvide(String registryHost, Environment environment) {
        return environment.isSet(usernameVariable) && environment.isSet(secretVariable);
      }

      @Override
      public List<String> problems(Environment environment) {
        return List.of(usernameVariable, secretVariable).stream()
            .filter(name -> !environment.isSet(name))
            .map(environment::whyNoValue)
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
      public boolean mayProvide(String registryHost, Environment environment) {
        return false;
      }

      @Override
      public String toString() {
        return "anonymous";
      }
    };
  }
}
