package dev.fanout.gar;

import dev.fanout.spi.KnownRegistry;
import dev.fanout.spi.RegistryBackend;
import dev.fanout.spi.RegistryBackendProvider;

/**
 * The Google Artifact Registry backend's {@link java.util.ServiceLoader} entry: claims the hosts of
 * {@link KnownRegistry#ARTIFACT_REGISTRY} ({@code LOCATION-docker.pkg.dev}, {@code gcr.io} and its
 * regional forms) and makes one backend per run, so that the run's targets share one access token.
 */
public final class GarBackendProvider implements RegistryBackendProvider {

  @Override
  public String id() {
    return KnownRegistry.ARTIFACT_REGISTRY.backendId();
  }

  @Override
  public boolean claims(String registryHost) {
    return KnownRegistry.ARTIFACT_REGISTRY.matches(registryHost);
  }

  @Override
  public RegistryBackend create() {
    return new GarBackend();
  }
}
