package dev.fanout.internal.oci;

import dev.fanout.spi.KnownRegistry;
import dev.fanout.spi.RegistryBackend;
import dev.fanout.spi.RegistryBackendProvider;

/**
 * The generic backend for any OCI registry (GHCR, Quay, Harbor, a local registry): credentials
 * from the target, else Docker's {@code config.json}, else anonymous. It declines the hosts of
 * {@link KnownRegistry registries that have a module of their own}, so that a missing module is
 * named in the plan instead of failing at push time.
 */
public final class OciBackendProvider implements RegistryBackendProvider {

  /** The id that pins this backend. */
  public static final String ID = "oci";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public boolean claims(String registryHost) {
    return KnownRegistry.of(registryHost).isEmpty();
  }

  @Override
  public RegistryBackend create() {
    return new RegistryBackend() {};
  }
}
