package dev.fanout.dockerhub;

import dev.fanout.spi.KnownRegistry;
import dev.fanout.spi.RegistryBackend;
import dev.fanout.spi.RegistryBackendProvider;

/**
 * The Docker Hub backend's {@link java.util.ServiceLoader} entry: claims the hosts of {@link
 * KnownRegistry#DOCKER_HUB}.
 */
public final class DockerHubBackendProvider implements RegistryBackendProvider {

  @Override
  public String id() {
    return KnownRegistry.DOCKER_HUB.backendId();
  }

  @Override
  public boolean claims(String registryHost) {
    return KnownRegistry.DOCKER_HUB.matches(registryHost);
  }

  @Override
  public RegistryBackend create() {
    return new DockerHubBackend();
  }
}
