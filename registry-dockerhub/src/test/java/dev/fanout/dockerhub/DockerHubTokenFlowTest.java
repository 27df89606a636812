package dev.fanout.dockerhub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.LogEvent;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.ImageSource;
import dev.fanout.Pipeline;
import dev.fanout.PipelineBuilder;
import dev.fanout.PushReport;
import dev.fanout.RetryPolicy;
import dev.fanout.Target;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.testkit.RegistryChecker;
import dev.fanout.testkit.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Pushing to a token-auth registry as Docker Hub")
class DockerHubTokenFlowTest {

  private static LocalDockerHub hub;

  @TempDir Path folder;

  @BeforeAll
  static void startHub() throws Exception {
    hub = LocalDockerHub.start();
  }

  @AfterAll
  static void stopHub() throws Exception {
    hub.close();
  }

  @Test
  @DisplayName("exchanges DOCKERHUB_USERNAME and DOCKERHUB_TOKEN for a Bearer token, pushes, and"
      + " skopeo reads the report's digest under the Docker Hub name")
  void pushesThroughTheTokenFlow() throws Exception {
    ConcurrentLinkedQueue<String> jibLog = new ConcurrentLinkedQueue<>();
    PushReport report =
        pipeline(hub.environment(), "docker.io/acme/app", "token flow")
            .addEventHandler(LogEvent.class, event -> jibLog.add(event.getMessage()))
            .run();

    TargetResult result = report.results().get(0);
    assertEquals(TargetStatus.PUSHED, result.status(), report::toString);
    assertEquals("docker.io/acme/app", result.reference());
    assertEquals("dockerhub", result.backend());
    String skopeo =
        RegistryChecker.skopeoDigest(hub.registry().host() + "/acme/app:1.0", hub.credentials());
    assertEquals(report.digest(), Optional.of(skopeo));
    assertEquals(report.digest(), result.digest());
    assertTrue(
        hub.tokens().requests().stream()
            .anyMatch(
                request ->
                    request.user().equals(Optional.of(LocalDockerHub.USERNAME))
                        && request.scopes().contains("repository:acme/app:pull,push")
                        && request.status() == 200),
        () -> "no authenticated push token was issued: " + hub.tokens().requests());
    assertTrue(
        result.detail().contains("pushed through DOCKERHUB_REGISTRY_URL " + hub.registryUrl()),
        result::detail);
    for (String text : List.of(report.toString(), result.detail(), String.join("\n", jibLog))) {
      assertFalse(text.contains(LocalDockerHub.TOKEN), "the token was printed");
    }
  }

  @Test
  @DisplayName("records a token the token service refuses as a failed target, without printing it")
  void refusedToken() throws Exception {
    String wrong = "dckr_pat_wrong-token-0000";
    Map<String, String> variables = hub.variables(hub.registryUrl());
    variables.put(DockerHub.TOKEN_VARIABLE, wrong);
    PushReport report =
        pipeline(Environment.of(variables), "docker.io/acme/refused", "refused")
            .retryPolicy(RetryPolicy.noRetries())
            .run();

    TargetResult result = report.results().get(0);
    assertEquals(TargetStatus.FAILED, result.status(), report::toString);
    assertTrue(
        result.detail().contains("the token service")
            && result.detail().contains(
                "refused the credential of user '" + LocalDockerHub.USERNAME + "' (401)"),
        result::detail);
    assertFalse(report.toString().contains(wrong), "the token was printed");
    assertTrue(
        hub.tokens().requests().stream().anyMatch(request -> request.status() == 401),
        () -> "the token service was not asked: " + hub.tokens().requests());
  }

  @Test
  @DisplayName(
      "copies an image with the Docker Hub credential, asking only pull scope on the source, and"
          + " only when the run copies it")
  void copiesTheSourceAuthenticated() throws Exception {
    PushReport base =
        Pipeline.prepare(Environment.of(Map.of()))
            .image(TestImages.smallApp(Files.createDirectories(folder.resolve("base")), "base"))
            .tags("1")
            .push(
                Target.to(hub.registry().host() + "/library/base")
                    .allowPlainHttp()
                    .credentials(
                        CredentialSource.of(LocalDockerHub.USERNAME, LocalDockerHub.TOKEN)))
            .run();
    assertEquals(TargetStatus.PUSHED, base.results().get(0).status(), base::toString);
    int before = hub.tokens().requests().size();

    ImageSource source =
        ImageSource.registryImageOverPlainHttp(
            hub.registry().host() + "/library/base:1", DockerHub.credentials(), hub.environment());
    assertEquals(before, hub.tokens().requests().size(), "declaring the source asked for a token");
    PushReport copy =
        Pipeline.prepare(Environment.of(Map.of()))
            .image(source)
            .tags("1")
            .push(
                Target.to(hub.registry().host() + "/library/copy")
                    .allowPlainHttp()
                    .credentials(
                        CredentialSource.of(LocalDockerHub.USERNAME, LocalDockerHub.TOKEN)))
            .run();

    assertEquals(TargetStatus.PUSHED, copy.results().get(0).status(), copy::toString);
    assertEquals(base.digest(), copy.digest(), "a copy keeps the source's digest");
    List<TestTokenServer.TokenRequest> byTheCopy =
        hub.tokens().requests().subList(before, hub.tokens().requests().size());
    List<TestTokenServer.TokenRequest> forSource =
        byTheCopy.stream()
            .filter(request -> request.scopes().contains("repository:library/base:pull"))
            .toList();
    assertFalse(forSource.isEmpty(), "the source was read without asking for a token");
    assertTrue(
        forSource.stream()
            .allMatch(request -> request.user().equals(Optional.of(LocalDockerHub.USERNAME))),
        () -> "the source was not read as " + LocalDockerHub.USERNAME + ": " + forSource);
    assertTrue(
        byTheCopy.stream()
            .noneMatch(request -> request.scopes().contains("repository:library/base:pull,push")),
        () -> "push scope was asked on the source: " + byTheCopy);
  }

  private PipelineBuilder pipeline(Environment environment, String reference, String greeting)
      throws Exception {
    Path files = Files.createTempDirectory(folder, "image");
    return Pipeline.prepare(environment)
        .image(TestImages.smallApp(files, greeting))
        .tags("1.0")
        .push(Target.to(reference).allowPlainHttp());
  }
}
