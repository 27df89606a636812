package dev.fanout.examples.ghcr;

import dev.fanout.Environment;
import dev.fanout.Target;
import dev.fanout.spi.RegistryBackendProvider;
import dev.fanout.testkit.LocalRegistry;
import dev.fanout.testkit.RegistryBackendConformanceKit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/**
 * The conformance kit, in a few lines: the kit's registry stands in for ghcr.io, and the target
 * names no credential, so the backend's own ({@code GITHUB_ACTOR} and {@code GITHUB_TOKEN}) is what
 * the registry checks.
 */
@DisplayName("The GHCR example backend")
class GhcrConformanceTest extends RegistryBackendConformanceKit {

  @Override
  protected RegistryBackendProvider provider() {
    return new GhcrBackendProvider();
  }

  @Override
  protected List<String> claimedHosts() {
    return List.of("ghcr.io");
  }

  @Override
  protected List<String> declinedHosts() {
    return List.of("registry-1.docker.io", "quay.io", "docker.pkg.github.com", "127.0.0.1:5000");
  }

  @Override
  protected Deployment deploy(LocalRegistry registry, String repository) {
    return new Deployment(
        Target.to(registry.reference(repository)).allowPlainHttp().backend(GhcrBackendProvider.ID),
        Environment.of(Map.of("GITHUB_ACTOR", KIT_USERNAME, "GITHUB_TOKEN", KIT_PASSWORD)));
  }
}
