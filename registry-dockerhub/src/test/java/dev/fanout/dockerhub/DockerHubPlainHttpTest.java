package dev.fanout.dockerhub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Jib;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.Plan;
import dev.fanout.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The plan's one check for credentials over plain HTTP, with the Docker Hub backend. */
@DisplayName("A Docker Hub target over plain HTTP")
class DockerHubPlainHttpTest {

  @TempDir Path dockerConfig;

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"127.evil.example:5000", "localhost.example", "127.0.0.1.nip.io"})
  @DisplayName(
      "is refused when its registry override only looks local, whether the credential is the"
          + " environment's, config.json's or the target's own")
  void looksLocal(String host) throws IOException {
    Files.writeString(
        dockerConfig.resolve("config.json"),
        "{\"auths\": {\"https://index.docker.io/v1/\": {\"auth\": \"YWNtZTpjb25maWctcHc=\"}}}");
    String override = "http://" + host;
    String bareHost = host.replaceFirst(":[0-9]+$", "");
    Map<Environment, Target> cases =
        Map.of(
            Environment.of(
                Map.of(
                    DockerHub.REGISTRY_URL_VARIABLE, override,
                    DockerHub.USERNAME_VARIABLE, "acme",
                    DockerHub.TOKEN_VARIABLE, "dckr_pat_env")),
            Target.to("docker.io/acme/app").allowPlainHttp(),
            Environment.of(
                Map.of(
                    DockerHub.REGISTRY_URL_VARIABLE,
                    override,
                    "DOCKER_CONFIG",
                    dockerConfig.toString())),
            Target.to("docker.io/acme/config").allowPlainHttp(),
            Environment.of(Map.of(DockerHub.REGISTRY_URL_VARIABLE, override)),
            Target.to("docker.io/acme/own")
                .allowPlainHttp()
                .credentials(CredentialSource.of("acme", "own-pw")));
    cases.forEach(
        (environment, target) -> {
          List<String> problems = plan(environment, target).problems();
          assertTrue(
              problems.stream()
                  .anyMatch(
                      problem ->
                          problem.contains("plain HTTP to " + bareHost)
                              && problem.contains("which is not this machine")),
              problems::toString);
        });
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"127.0.0.1:5000", "localhost:5000"})
  @DisplayName("is planned when its registry override is this machine")
  void local(String host) {
    Plan plan =
        plan(
            Environment.of(
                Map.of(
                    DockerHub.REGISTRY_URL_VARIABLE, "http://" + host,
                    DockerHub.USERNAME_VARIABLE, "acme",
                    DockerHub.TOKEN_VARIABLE, "dckr_pat_env",
                    DockerHub.QUOTA_CHECK_VARIABLE, "false")),
            Target.to("docker.io/acme/app").allowPlainHttp());
    assertEquals(List.of(), plan.problems());
  }

  private static Plan plan(Environment environment, Target target) {
    return Pipeline.prepare(environment).image(Jib.fromScratch()).push(target).plan();
  }
}
