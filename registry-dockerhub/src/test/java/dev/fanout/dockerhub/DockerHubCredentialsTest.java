package dev.fanout.dockerhub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Environment;
import dev.fanout.ImageSource;
import dev.fanout.Pipeline;
import dev.fanout.Plan;
import dev.fanout.RegistryCredential;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The Docker Hub credential")
class DockerHubCredentialsTest {

  private static final String TOKEN = "dckr_pat_credential-test-4Kd";

  @TempDir Path folder;

  @Test
  @DisplayName("comes from DOCKERHUB_USERNAME with DOCKERHUB_TOKEN, the token before the password")
  void fromVariables() throws Exception {
    Environment environment =
        Environment.of(
            Map.of(
                "DOCKERHUB_USERNAME", "acme",
                "DOCKERHUB_TOKEN", TOKEN,
                "DOCKERHUB_PASSWORD", "the-account-password"));
    assertEquals(
        Optional.of(RegistryCredential.of("acme", TOKEN)),
        DockerHub.credentials().resolve("registry-1.docker.io", environment));
    assertEquals(
        Optional.of(RegistryCredential.of("acme", "the-account-password")),
        DockerHub.credentials()
            .resolve(
                "docker.io",
                Environment.of(
                    Map.of(
                        "DOCKERHUB_USERNAME", "acme",
                        "DOCKERHUB_PASSWORD", "the-account-password"))));
  }

  @Test
  @DisplayName("comes from the Docker Hub entry of config.json when the variables are not set")
  void fromDockerConfig() throws Exception {
    String auth =
        Base64.getEncoder().encodeToString(("acme:" + TOKEN).getBytes(StandardCharsets.UTF_8));
    Files.writeString(
        folder.resolve("config.json"),
        "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + auth + "\"}}}");
    Environment environment = Environment.of(Map.of("DOCKER_CONFIG", folder.toString()));
    assertEquals(
        Optional.of(RegistryCredential.of("acme", TOKEN)),
        DockerHub.credentials().resolve("registry-1.docker.io", environment));
  }

  @Test
  @DisplayName("is never handed to another registry, only to Docker Hub and its override")
  void onlyForDockerHub() throws Exception {
    Environment environment =
        Environment.of(
            Map.of(
                "DOCKERHUB_USERNAME", "acme",
                "DOCKERHUB_TOKEN", TOKEN,
                "DOCKERHUB_REGISTRY_URL", "http://127.0.0.1:5000"));
    assertEquals(Optional.empty(), DockerHub.credentials().resolve("ghcr.io", environment));
    assertEquals(Optional.empty(), DockerHub.credentials().resolve("127.0.0.1:5001", environment));
    assertTrue(DockerHub.credentials().resolve("127.0.0.1:5000", environment).isPresent());
  }

  @Test
  @DisplayName("is read only when Jib pulls a base image, never when it is declared or planned")
  void readLazily() {
    List<String> reads = new CopyOnWriteArrayList<>();
    Environment counting =
        name -> {
          reads.add(name);
          return Optional.empty();
        };
    ImageSource copy =
        ImageSource.registryImage("docker.io/acme/base:1", DockerHub.credentials(), counting);
    DockerHub.baseImage("eclipse-temurin:21-jre", counting);
    Plan plan = Pipeline.prepare(Environment.of(Map.of())).image(copy).plan();
    assertEquals(List.of(), reads);
    assertTrue(plan.toString().contains("registry image docker.io/acme/base:1"), plan::toString);
    assertFalse(plan.toString().contains("DOCKERHUB"), plan::toString);
  }

  @Test
  @DisplayName("goes with base images on Docker Hub only")
  void baseImagesOnDockerHubOnly() {
    IllegalArgumentException elsewhere =
        assertThrows(
            IllegalArgumentException.class,
            () -> DockerHub.baseImage("ghcr.io/acme/base:1", Environment.of(Map.of())));
    assertTrue(
        elsewhere.getMessage().contains("is on ghcr.io, not Docker Hub"), elsewhere::getMessage);
    assertThrows(
        IllegalArgumentException.class,
        () -> DockerHub.baseImage("Not A Reference", Environment.of(Map.of())));
  }
}
