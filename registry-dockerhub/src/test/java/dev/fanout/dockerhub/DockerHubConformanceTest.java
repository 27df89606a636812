package dev.fanout.dockerhub;

import dev.fanout.Environment;
import dev.fanout.Target;
import dev.fanout.spi.RegistryBackendProvider;
import dev.fanout.testkit.LocalRegistry;
import dev.fanout.testkit.RegistryBackendConformanceKit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/**
 * The conformance kit against the kit's own basic-auth registry, reached as Docker Hub through
 * {@code DOCKERHUB_REGISTRY_URL} with the credential in {@code DOCKERHUB_USERNAME} and {@code
 * DOCKERHUB_TOKEN}. The kit's registry suits: Jib answers whichever challenge a registry sends
 * (Basic here, Bearer on Docker Hub), so what the kit checks (push, re-push, a registry that is
 * down, no secret printed) does not depend on the scheme. The Bearer flow has its own test against
 * a token-auth registry ({@link DockerHubTokenFlowTest}); the kit's {@code LocalRegistry} has no
 * token mode to override {@code newRegistry()} with.
 */
@DisplayName("The dockerhub backend")
class DockerHubConformanceTest extends RegistryBackendConformanceKit {

  @Override
  protected RegistryBackendProvider provider() {
    return new DockerHubBackendProvider();
  }

  @Override
  protected List<String> claimedHosts() {
    return List.of(
        "docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com");
  }

  @Override
  protected List<String> declinedHosts() {
    return List.of("ghcr.io", "127.0.0.1:5000", "mirror.gcr.io", "docker.example.com");
  }

  @Override
  protected Deployment deploy(LocalRegistry registry, String repository) {
    return new Deployment(
        Target.to("docker.io/" + repository).allowPlainHttp(),
        Environment.of(
            Map.of(
                DockerHub.USERNAME_VARIABLE, registry.username(),
                DockerHub.TOKEN_VARIABLE, registry.password(),
                DockerHub.REGISTRY_URL_VARIABLE, "http://" + registry.host())));
  }
}
