package dev.fanout.dockerhub;

import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.RegistryCredential;
import dev.fanout.spi.RegistryBackend;
import java.io.IOException;
import java.util.Optional;

/**
 * Pushes to Docker Hub with {@code DOCKERHUB_USERNAME} and {@code DOCKERHUB_TOKEN} (or {@code
 * DOCKERHUB_PASSWORD}), else the Docker Hub entry of Docker's {@code config.json}.
 */
final class DockerHubBackend implements RegistryBackend {

  /** The Docker ID. */
  static final String USERNAME = "DOCKERHUB_USERNAME";

  /** A personal access token with Read &amp; Write permission; what Docker recommends. */
  static final String TOKEN = "DOCKERHUB_TOKEN";

  /** The account password, accepted where a token is not set up yet. */
  static final String PASSWORD = "DOCKERHUB_PASSWORD";

  @Override
  public CredentialSource defaultCredentials() {
    return new CredentialSource() {
      @Override
      public Optional<RegistryCredential> resolve(String registryHost, Environment environment)
          throws IOException {
        Optional<String> username = environment.value(USERNAME);
        Optional<String> secret = environment.value(TOKEN).or(() -> environment.value(PASSWORD));
        if (username.isPresent() && secret.isPresent()) {
          return Optional.of(RegistryCredential.of(username.get(), secret.get()));
        }
        return CredentialSource.dockerConfig().resolve(registryHost, environment);
      }

      @Override
      public String toString() {
        return "$" + USERNAME + " with $" + TOKEN + " or $" + PASSWORD + ", else Docker config.json";
      }
    };
  }
}
