package dev.fanout.gar;

import dev.fanout.Target;
import dev.fanout.spi.RegistryBackendProvider;
import dev.fanout.testkit.LocalRegistry;
import dev.fanout.testkit.RegistryBackendConformanceKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;

/**
 * The conformance kit against the Artifact Registry backend. Its repository {@code conformance/app}
 * is written as the gcr.io name {@code gcr.io/conformance/app}: project {@code conformance}, image
 * {@code app} in the repository {@code gcr.io} (location {@code us}), pushed through the registry
 * endpoint override to the kit's registry.
 */
@DisplayName("The Artifact Registry backend")
class GarBackendConformanceTest extends RegistryBackendConformanceKit {

  private final List<GoogleStub> stubs = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopStubs() {
    stubs.forEach(GoogleStub::close);
  }

  @Override
  protected RegistryBackendProvider provider() {
    return new GarBackendProvider();
  }

  @Override
  protected List<String> claimedHosts() {
    return List.of(
        "europe-docker.pkg.dev",
        "us-central1-docker.pkg.dev",
        "gcr.io",
        "us.gcr.io",
        "eu.gcr.io",
        "asia.gcr.io");
  }

  @Override
  protected List<String> declinedHosts() {
    return List.of(
        "europe-maven.pkg.dev",
        "europe-docker.pkg.dev.evil.example",
        "registry-1.docker.io",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
        "ghcr.io",
        "127.0.0.1:5000");
  }

  /** The registry takes the user Artifact Registry takes, with the kit's password as the token. */
  @Override
  protected LocalRegistry newRegistry() {
    return LocalRegistry.withBasicAuth(GarBackend.TOKEN_USER, KIT_PASSWORD);
  }

  @Override
  protected Deployment deploy(LocalRegistry registry, String repository) throws Exception {
    GoogleStub stub =
        GoogleStub.start(GoogleFixtures.keys().getPublic(), registry.password())
            .withDockerRepository("projects/conformance/locations/us/repositories/gcr.io");
    stubs.add(stub);
    Path folder = Files.createTempDirectory("fanout-gar-kit");
    Path key = GoogleFixtures.serviceAccountKey(folder, stub.tokenUri());
    return new Deployment(
        Target.to("gcr.io/" + repository).allowPlainHttp(),
        GoogleFixtures.environment(key, stub, registry.host(), folder.resolve("home")));
  }
}
