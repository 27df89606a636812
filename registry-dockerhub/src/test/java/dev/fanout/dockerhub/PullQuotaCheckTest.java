package dev.fanout.dockerhub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.PushReport;
import dev.fanout.Target;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.testkit.FaultInjectingProxy;
import dev.fanout.testkit.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The Docker Hub pull-quota check")
class PullQuotaCheckTest {

  private static final String PREVIEW_MANIFEST = "/v2/ratelimitpreview/test/manifests/latest";
  private static final PullQuota QUOTA =
      new PullQuota(100, 76, Duration.ofHours(6), Optional.of("192.0.2.1"));

  private static LocalDockerHub hub;

  private FaultInjectingProxy front;

  @TempDir Path folder;

  @BeforeAll
  static void startHub() throws Exception {
    hub = LocalDockerHub.start();
  }

  @AfterAll
  static void stopHub() throws Exception {
    hub.close();
  }

  @BeforeEach
  void startFront() throws Exception {
    front =
        DockerHubFront.withQuota(
            hub.registry().host(), "100;w=21600", "76;w=21600", "192.0.2.1");
  }

  @AfterEach
  void stopFront() {
    front.close();
  }

  @Test
  @DisplayName(
      "leaves no HTTP client thread running in native code, which would hold up the JVM's exit")
  void leavesNoSelectorThread() throws Exception {
    List<String> before = selectorThreads();

    DockerHub.pullQuota(Environment.of(hub.variables(DockerHubFront.url(front))));

    List<String> started = selectorThreads();
    started.removeAll(before);
    assertEquals(List.of(), started);
  }

  /** The selector threads of Java's HttpClients (one per client, alive until it is collected). */
  private static List<String> selectorThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(name -> name.matches("HttpClient-\\d+-SelectorManager"))
        .collect(Collectors.toCollection(ArrayList::new));
  }

  @Test
  @DisplayName(
      "reports the pulls left for the account with a token and a HEAD, and no manifest GET")
  void reportsTheQuotaWithoutAPull() throws Exception {
    Optional<PullQuota> quota =
        DockerHub.pullQuota(Environment.of(hub.variables(DockerHubFront.url(front))));

    assertEquals(Optional.of(QUOTA), quota);
    assertEquals(
        List.of("HEAD " + PREVIEW_MANIFEST + " 404"),
        DockerHubFront.requests(front, DockerHubFront::isManifest));
    assertEquals(List.of(), hub.registryRequests("GET", "/manifests/"));
    TestTokenServer.TokenRequest last = lastTokenRequest();
    assertEquals(Optional.of(LocalDockerHub.USERNAME), last.user());
    assertEquals(List.of("repository:ratelimitpreview/test:pull"), last.scopes());
  }

  @Test
  @DisplayName("asks for the anonymous quota when no Docker Hub credential is set")
  void anonymousQuota() throws Exception {
    Map<String, String> variables = hub.variables(DockerHubFront.url(front));
    variables.remove(DockerHub.USERNAME_VARIABLE);
    variables.remove(DockerHub.TOKEN_VARIABLE);
    variables.put("DOCKER_CONFIG", folder.toString());

    assertEquals(Optional.of(QUOTA), DockerHub.pullQuota(Environment.of(variables)));
    assertEquals(Optional.empty(), lastTokenRequest().user());
  }

  @Test
  @DisplayName("finds the token service in the registry's challenge when only the registry is"
      + " overridden")
  void tokenServiceFromTheChallenge() throws Exception {
    Map<String, String> variables = hub.variables(DockerHubFront.url(front));
    variables.remove(DockerHub.AUTH_URL_VARIABLE);
    int before = hub.tokens().requests().size();

    assertEquals(Optional.of(QUOTA), DockerHub.pullQuota(Environment.of(variables)));
    assertEquals(before + 1, hub.tokens().requests().size());
    assertEquals(
        List.of("HEAD " + PREVIEW_MANIFEST + " 401", "HEAD " + PREVIEW_MANIFEST + " 404"),
        DockerHubFront.requests(front, DockerHubFront::isManifest));
  }

  @Test
  @DisplayName("says pulls are not limited when the registry sends no rate-limit headers")
  void unlimited() throws Exception {
    assertEquals(Optional.empty(), DockerHub.pullQuota(hub.environment()));
  }

  @Test
  @DisplayName("shows the figure in the report of a push, which GETs no manifest")
  void figureInTheReport() throws Exception {
    PushReport report =
        Pipeline.prepare(Environment.of(hub.variables(DockerHubFront.url(front))))
            .image(TestImages.smallApp(Files.createDirectories(folder.resolve("app")), "quota"))
            .tags("1.0")
            .push(Target.to("docker.io/acme/quota").allowPlainHttp())
            .run();

    TargetResult result = report.results().get(0);
    assertEquals(TargetStatus.PUSHED, result.status(), report::toString);
    assertTrue(
        result.detail().contains(
            "Docker Hub pull quota for acme: 76 of 100 pulls left per 6 h (counted for 192.0.2.1)"),
        result::detail);
    assertTrue(report.toString().contains("76 of 100 pulls left"), report::toString);
    assertEquals(
        List.of(),
        DockerHubFront.requests(
            front, event -> DockerHubFront.isManifest(event) && event.method().equals("GET")));
    assertEquals(List.of(), hub.registryRequests("GET", "/manifests/"));
    assertEquals(
        1,
        DockerHubFront.requests(
                front, event -> event.path().equals(PREVIEW_MANIFEST) && event.status() == 404)
            .size());
  }

  @Test
  @DisplayName("is skipped when DOCKERHUB_QUOTA_CHECK is false")
  void switchedOff() throws Exception {
    Map<String, String> variables = hub.variables(DockerHubFront.url(front));
    variables.put(DockerHub.QUOTA_CHECK_VARIABLE, "false");
    PushReport report =
        Pipeline.prepare(Environment.of(variables))
            .image(TestImages.smallApp(Files.createDirectories(folder.resolve("app")), "no check"))
            .tags("1.0")
            .push(Target.to("docker.io/acme/unchecked").allowPlainHttp())
            .run();

    assertEquals(TargetStatus.PUSHED, report.results().get(0).status(), report::toString);
    assertFalse(report.results().get(0).detail().contains("quota"), report::toString);
    assertEquals(
        List.of(),
        DockerHubFront.requests(front, event -> event.path().equals(PREVIEW_MANIFEST)));
  }

  private static TestTokenServer.TokenRequest lastTokenRequest() {
    List<TestTokenServer.TokenRequest> requests = hub.tokens().requests();
    return requests.get(requests.size() - 1);
  }
}
