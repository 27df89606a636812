package dev.fanout.ecr;

import dev.fanout.spi.KnownRegistry;
import dev.fanout.spi.RegistryBackend;
import dev.fanout.spi.RegistryBackendProvider;
import java.time.Clock;

/**
 * The AWS ECR backend's {@link java.util.ServiceLoader} entry: claims the hosts of {@link
 * KnownRegistry#ECR}.
 */
public final class EcrBackendProvider implements RegistryBackendProvider {

  @Override
  public String id() {
    return KnownRegistry.ECR.backendId();
  }

  @Override
  public boolean claims(String registryHost) {
    return KnownRegistry.ECR.matches(registryHost);
  }

  @Override
  public RegistryBackend create() {
    return new EcrBackend(Clock.systemUTC());
  }
}
