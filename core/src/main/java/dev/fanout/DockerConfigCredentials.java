package dev.fanout;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import com.google.cloud.tools.jib.registry.credentials.CredentialRetrievalException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Docker's {@code config.json} through Jib's own reader, which already understands {@code
 * auths}, {@code credHelpers}, {@code credsStore} and the registry aliases of Docker Hub.
 */
final class DockerConfigCredentials implements CredentialSource {

  /** Where Docker looks when {@code DOCKER_CONFIG} is not set, relative to the home folder. */
  private static final String DEFAULT_CONFIG = ".docker/config.json";

  @Override
  public Optional<RegistryCredential> resolve(String registryHost, Environment environment)
      throws IOException {
    Path config = configFile(environment);
    if (!Files.isRegularFile(config)) {
      return Optional.empty();
    }
    ImageReference anyImageOnHost = ImageReference.of(registryHost, "fanout/credential-lookup", null);
    try {
      Optional<Credential> credential =
          CredentialRetrieverFactory.forImage(anyImageOnHost, event -> {}, Map.of())
              .dockerConfig(config)
              .retrieve();
      return credential.map(found -> RegistryCredential.of(found.getUsername(), found.getPassword()));
    } catch (CredentialRetrievalException e) {
      throw new IOException(
          "cannot read the credential for " + registryHost + " from " + config + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Whether {@code config.json} names a credential for the registry, read without running its
   * credential helper; a file that cannot be read may hold one.
   */
  @Override
  public boolean mayProvide(String registryHost, Environment environment) {
    Path config = configFile(environment);
    if (!Files.isRegularFile(config)) {
      return false;
    }
    try {
      return DockerConfigFile.read(config).mayProvide(registryHost);
    } catch (IOException unreadable) {
      return true;
    }
  }

  /** The credential {@code config.json} writes in {@code auths}; a helper's is read at the push. */
  @Override
  public Optional<RegistryCredential> resolveLocally(String registryHost, Environment environment) {
    Path config = configFile(environment);
    if (!Files.isRegularFile(config)) {
      return Optional.empty();
    }
    try {
      return DockerConfigFile.read(config).auth(registryHost);
    } catch (IOException unreadable) {
      return Optional.empty();
    }
  }

  static Path configFile(Environment environment) {
    Optional<String> dockerConfigDir = environment.value("DOCKER_CONFIG");
    if (dockerConfigDir.isPresent()) {
      return Path.of(dockerConfigDir.get(), "config.json");
    }
    String home = environment.value("HOME").orElseGet(() -> System.getProperty("user.home"));
    return Path.of(home).resolve(DEFAULT_CONFIG);
  }

  @Override
  public String toString() {
    return "Docker config.json";
  }
}
