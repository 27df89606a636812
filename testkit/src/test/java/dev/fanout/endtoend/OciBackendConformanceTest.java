package dev.fanout.endtoend;

import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.Target;
import dev.fanout.internal.oci.OciBackendProvider;
import dev.fanout.spi.RegistryBackendProvider;
import dev.fanout.testkit.LocalRegistry;
import dev.fanout.testkit.RegistryBackendConformanceKit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The generic OCI backend")
class OciBackendConformanceTest extends RegistryBackendConformanceKit {

  @Override
  protected RegistryBackendProvider provider() {
    return new OciBackendProvider();
  }

  @Override
  protected List<String> claimedHosts() {
    return List.of("ghcr.io", "quay.io", "harbor.example.com:8443", "127.0.0.1:5000");
  }

  @Override
  protected List<String> declinedHosts() {
    return List.of(
        "registry-1.docker.io",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
        "europe-docker.pkg.dev",
        "gcr.io");
  }

  @Override
  protected Deployment deploy(LocalRegistry registry, String repository) {
    Environment environment = Environment.of(Map.of("REGISTRY_USER", registry.username(), "REGISTRY_PASSWORD", registry.password()));
    return new Deployment(
        Target.to(registry.reference(repository))
            .allowPlainHttp()
            .credentials(CredentialSource.fromEnvironment("REGISTRY_USER", "REGISTRY_PASSWORD")),
        environment);
  }
}
