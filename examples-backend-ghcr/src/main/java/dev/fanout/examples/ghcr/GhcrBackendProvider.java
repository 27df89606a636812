package dev.fanout.examples.ghcr;

import dev.fanout.spi.RegistryBackend;
import dev.fanout.spi.RegistryBackendProvider;

/**
 * An example backend for the GitHub Container Registry, written the way a backend outside Fanout is
 * written: listed in {@code META-INF/services/dev.fanout.spi.RegistryBackendProvider}, proven with
 * the conformance kit.
 *
 * <p>Core's generic OCI backend also serves {@code ghcr.io}, and Fanout refuses to guess between
 * two backends that claim one host: with both on the class path, a target pins this one with {@code
 * Target.to("ghcr.io/acme/app").backend("ghcr")}, and the plan says so when it does not.
 */
public final class GhcrBackendProvider implements RegistryBackendProvider {

  /** The id that pins this backend. */
  public static final String ID = "ghcr";

  /** The registry's one host. */
  public static final String HOST = "ghcr.io";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public boolean claims(String registryHost) {
    return registryHost.equals(HOST);
  }

  @Override
  public RegistryBackend create() {
    return new GhcrBackend();
  }
}
