package dev.fanout;

import dev.fanout.spi.RegistryBackend;
import dev.fanout.spi.RegistryBackendProvider;

/**
 * Listed in this module's test {@code META-INF/services} to prove that a provider failing to load
 * is reported, not fatal.
 */
public final class BrokenBackendProvider implements RegistryBackendProvider {

  /** Fails as a provider with a missing dependency would. */
  public BrokenBackendProvider() {
    throw new IllegalStateException("this provider cannot load");
  }

  @Override
  public String id() {
    return "broken";
  }

  @Override
  public boolean claims(String registryHost) {
    return true;
  }

  @Override
  public RegistryBackend create() {
    return new RegistryBackend() {};
  }
}
