package dev.fanout.ecr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.LogEvent;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.PipelineBuilder;
import dev.fanout.PushReport;
import dev.fanout.Target;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.testkit.FaultInjectingProxy;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.ProxyEvent;
import dev.fanout.testkit.RegistryChecker;
import dev.fanout.testkit.ScriptedResponse;
import dev.fanout.testkit.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes through the real {@code EcrClient}, pointed with {@code AWS_ENDPOINT_URL_ECR} at a stub of
 * the ECR API whose token is the password of a real local registry; what lands there is read back
 * independently.
 */
@DisplayName("Pushing to ECR")
class EcrPushTest {

  static final String ACCOUNT = "123456789012";
  static final String REGION = "eu-west-1";
  static final String REGISTRY = ACCOUNT + ".dkr.ecr." + REGION + ".amazonaws.com";
  static final String ACCESS_KEY_ID = "AKIDFANOUTTEST";
  static final String SECRET_ACCESS_KEY = "fanout-test-secret-access-key-5c2e";
  static final String TAG = "1.4.2";

  private static final String PASSWORD = "ecr-token-password-7f3a91";

  @RegisterExtension
  static final LocalRegistryExtension registry =
      LocalRegistryExtension.withBasicAuth(EcrApi.TOKEN_USER, PASSWORD);

  @TempDir Path folder;
  private EcrApiStub stub;

  @BeforeEach
  void startStub() throws Exception {
    stub = EcrApiStub.start(ACCOUNT, REGION, PASSWORD, "http://" + registry.host());
  }

  @AfterEach
  void stopStub() {
    stub.close();
  }

  static Environment environment(EcrApiStub stub) {
    return Environment.of(
        Map.of(
            "AWS_ACCESS_KEY_ID", ACCESS_KEY_ID,
            "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY,
            "AWS_ENDPOINT_URL_ECR", stub.endpoint()));
  }

  static Target ecr(String repository) {
    return Target.to(REGISTRY + "/" + repository).allowPlainHttp();
  }

  private PipelineBuilder pipeline(String greeting) throws Exception {
    return Pipeline.prepare(environment(stub))
        .image(TestImages.smallApp(Files.createTempDirectory(folder, "image"), greeting))
        .tags(TAG);
  }

  private static Optional<String> landed(String repository) throws Exception {
    return RegistryChecker.manifestDigest(registry.host(), repository, TAG, registry.credentials());
  }

  @Test
  @DisplayName(
      "creates a missing repository exactly once, pushes with the token, and reports the ECR name")
  void createsAndPushes() throws Exception {
    PushReport report = pipeline("create").push(ecr("acme/created")).run();

    TargetResult result = report.results().get(0);
    assertEquals(TargetStatus.PUSHED, result.status(), report::toString);
    assertEquals(REGISTRY + "/acme/created", result.reference());
    assertEquals("ecr", result.backend());
    assertEquals(report.digest(), landed("acme/created"));
    assertEquals(1, stub.calls(EcrApiStub.CREATE_REPOSITORY));
    assertTrue(stub.hasRepository("acme/created"));
    assertTrue(result.detail().contains("created ECR repository acme/created"), result::detail);
    assertTrue(stub.authorizations().stream().allMatch(header -> header.contains(ACCESS_KEY_ID)));
  }

  @Test
  @DisplayName(
      "creates the repository with the tag mutability, scanning and encryption the options ask for")
  void createsWithSettings() throws Exception {
    PushReport report =
        pipeline("settings")
            .push(
                ecr("acme/settings")
                    .option(EcrOptions.TAG_MUTABILITY, "IMMUTABLE")
                    .option(EcrOptions.SCAN_ON_PUSH, "true")
                    .option(EcrOptions.ENCRYPTION, "KMS")
                    .option(EcrOptions.KMS_KEY, "alias/release"))
            .run();

    assertEquals(TargetStatus.PUSHED, report.results().get(0).status(), report::toString);
    String body = stub.createBodies().get(0);
    assertTrue(body.contains("\"repositoryName\":\"acme/settings\""), body);
    assertTrue(body.contains("\"registryId\":\"" + ACCOUNT + "\""), body);
    assertTrue(body.contains("\"imageTagMutability\":\"IMMUTABLE\""), body);
    assertTrue(body.contains("\"imageScanningConfiguration\":{\"scanOnPush\":true}"), body);
    assertTrue(
        body.contains(
            "\"encryptionConfiguration\":{\"encryptionType\":\"KMS\",\"kmsKey\":\"alias/release\"}"),
        body);
    assertEquals(report.digest(), landed("acme/settings"));
  }

  @Test
  @DisplayName("leaves an existing repository alone")
  void existingRepository() throws Exception {
    stub.withRepository("acme/existing");
    PushReport report = pipeline("existing").push(ecr("acme/existing")).run();

    assertEquals(TargetStatus.PUSHED, report.results().get(0).status(), report::toString);
    assertEquals(1, stub.calls(EcrApiStub.DESCRIBE_REPOSITORIES));
    assertEquals(0, stub.calls(EcrApiStub.CREATE_REPOSITORY));
    assertEquals(report.digest(), landed("acme/existing"));
  }

  @Test
  @DisplayName(
      "with creation off, looks nothing up and pushes, as a creation template lets ECR create the"
          + " repository on push")
  void creationOff() throws Exception {
    PushReport report =
        pipeline("off")
            .push(ecr("acme/on-push").option(EcrOptions.CREATE_REPOSITORY, "false"))
            .run();

    TargetResult result = report.results().get(0);
    assertEquals(TargetStatus.PUSHED, result.status(), report::toString);
    assertEquals(0, stub.calls(EcrApiStub.DESCRIBE_REPOSITORIES));
    assertEquals(0, stub.calls(EcrApiStub.CREATE_REPOSITORY));
    assertEquals(report.digest(), landed("acme/on-push"));
  }

  @Test
  @DisplayName(
      "pushes for a push-only role whose DescribeRepositories is refused, and creates nothing")
  void describeRefused() throws Exception {
    stub.refuse(EcrApiStub.DESCRIBE_REPOSITORIES, "AccessDeniedException");
    PushReport report = pipeline("push-only").push(ecr("acme/push-only")).run();

    TargetResult result = report.results().get(0);
    assertEquals(TargetStatus.PUSHED, result.status(), report::toString);
    assertEquals(1, stub.calls(EcrApiStub.DESCRIBE_REPOSITORIES));
    assertEquals(0, stub.calls(EcrApiStub.CREATE_REPOSITORY));
    assertTrue(
        result.detail().contains("DescribeRepositories was refused (AccessDeniedException)"),
        result::detail);
    assertEquals(report.digest(), landed("acme/push-only"));
  }

  @Test
  @DisplayName(
      "with creation off, fails a repository that is missing at once, from ECR's own NAME_UNKNOWN"
          + " answer, explained")
  void missingRepositoryFromTheRegistry() throws Exception {
    stub.close();
    try (FaultInjectingProxy ecrRegistry =
        FaultInjectingProxy.inFrontOf(registry.host())
            .answer(
                Integer.MAX_VALUE,
                request -> request.repository().equals(Optional.of("acme/absent")),
                ScriptedResponse.json(
                    404,
                    "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"The repository"
                        + " with name 'acme/absent' does not exist in the registry with id '"
                        + ACCOUNT
                        + "'\"}]}"))
            .start()) {
      stub = EcrApiStub.start(ACCOUNT, REGION, PASSWORD, "http://" + ecrRegistry.host());
      PushReport report =
          pipeline("absent")
              .push(ecr("acme/absent").option(EcrOptions.CREATE_REPOSITORY, "false"))
              .run();

      TargetResult result = report.results().get(0);
      assertEquals(TargetStatus.FAILED, result.status(), report::toString);
      assertEquals(1, result.attempts(), report::toString);
      String detail = result.detail();
      assertTrue(
          detail.startsWith(
              "ECR repository acme/absent does not exist in ECR registry 123456789012 in"
                  + " eu-west-1 (NAME_UNKNOWN: "),
          detail);
      assertTrue(
          detail.contains("The repository with name 'acme/absent' does not exist in the registry"),
          detail);
      assertTrue(
          detail.contains(
              "aws ecr create-repository --repository-name acme/absent --region eu-west-1"),
          detail);
      assertTrue(detail.contains("CREATE_ON_PUSH"), detail);
      assertEquals(0, stub.calls(EcrApiStub.DESCRIBE_REPOSITORIES));
      assertEquals(Optional.empty(), landed("acme/absent"));
    }
  }

  @Test
  @DisplayName("counts a concurrent creator's RepositoryAlreadyExistsException as success")
  void concurrentCreator() throws Exception {
    stub.createRaces();
    PushReport report = pipeline("race").push(ecr("acme/raced")).run();

    TargetResult result = report.results().get(0);
    assertEquals(TargetStatus.PUSHED, result.status(), report::toString);
    assertEquals(1, stub.calls(EcrApiStub.CREATE_REPOSITORY));
    assertTrue(result.detail().contains("created meanwhile by another client"), result::detail);
    assertEquals(report.digest(), landed("acme/raced"));
  }

  @Test
  @DisplayName("makes one GetAuthorizationToken call for two targets on the same registry")
  void oneTokenPerRegistry() throws Exception {
    PushReport report = pipeline("two").push(ecr("acme/one")).push(ecr("acme/two")).run();

    assertEquals(
        List.of(TargetStatus.PUSHED, TargetStatus.PUSHED), statuses(report), report::toString);
    assertEquals(1, stub.calls(EcrApiStub.GET_AUTHORIZATION_TOKEN));
    assertEquals(report.digest(), landed("acme/one"));
    assertEquals(report.digest(), landed("acme/two"));
  }

  @Test
  @DisplayName("fetches a new token during the run once the cached one is about to expire")
  void refreshesExpiringToken() throws Exception {
    stub.tokenLife(Duration.ZERO);
    PushReport report =
        pipeline("short")
            .maxConcurrentPushes(1)
            .push(ecr("acme/first"))
            .push(ecr("acme/second"))
            .run();

    assertEquals(
        List.of(TargetStatus.PUSHED, TargetStatus.PUSHED), statuses(report), report::toString);
    assertEquals(2, stub.calls(EcrApiStub.GET_AUTHORIZATION_TOKEN));
    assertEquals(report.digest(), landed("acme/first"));
    assertEquals(report.digest(), landed("acme/second"));
  }

  @Test
  @DisplayName(
      "fetches a fresh token and pushes when the registry refuses the cached one with a 401")
  void refusedTokenReplaced() throws Exception {
    stub.firstPassword("revoked-token-password");
    PushReport report = pipeline("revoked").push(ecr("acme/revoked")).run();

    TargetResult result = report.results().get(0);
    assertEquals(TargetStatus.PUSHED, result.status(), report::toString);
    assertEquals(2, result.attempts(), report::toString);
    assertEquals(2, stub.calls(EcrApiStub.GET_AUTHORIZATION_TOKEN));
    assertEquals(report.digest(), landed("acme/revoked"));
  }

  @Test
  @DisplayName(
      "lets the SDK's STANDARD retry mode ride out API throttling, with no second retry loop")
  void throttlingRetriedBySdk() throws Exception {
    stub.withRepository("acme/throttled").failNextCallWith("ThrottlingException");
    PushReport report = pipeline("throttled").push(ecr("acme/throttled")).run();

    assertEquals(TargetStatus.PUSHED, report.results().get(0).status(), report::toString);
    assertEquals(2, stub.calls(EcrApiStub.GET_AUTHORIZATION_TOKEN));
    assertEquals(1, stub.calls(EcrApiStub.DESCRIBE_REPOSITORIES));
    assertEquals(report.digest(), landed("acme/throttled"));
  }

  @Test
  @DisplayName("fails an immutable-tag rejection at once, naming the tag and the repository")
  void immutableTag() throws Exception {
    stub.close();
    try (FaultInjectingProxy front =
        FaultInjectingProxy.inFrontOf(registry.host())
            .answer(
                Integer.MAX_VALUE,
                request ->
                    request.isManifestUpload()
                        && request.path().equals("/v2/acme/immutable/manifests/" + TAG),
                ScriptedResponse.json(400, immutableTagError("acme/immutable", TAG)))
            .start()) {
      stub = EcrApiStub.start(ACCOUNT, REGION, PASSWORD, "http://" + front.host());
      stub.withRepository("acme/immutable");
      PushReport report = pipeline("immutable").push(ecr("acme/immutable")).run();

      TargetResult result = report.results().get(0);
      assertEquals(TargetStatus.FAILED, result.status(), report::toString);
      assertEquals(1, result.attempts(), report::toString);
      assertEquals(
          1, front.requestCount(event -> event.action() == ProxyEvent.Action.SCRIPTED_ANSWER));
      assertTrue(
          result
              .detail()
              .contains(
                  "tag '1.4.2' already exists in ECR repository 'acme/immutable', whose tags are"
                      + " immutable"),
          result::detail);
      assertEquals(Optional.empty(), landed("acme/immutable"));
    }
  }

  /**
   * ECR's answer to a manifest upload onto an existing tag of a repository with immutable tags: 400
   * {@code TAG_INVALID} with ECR's own message.
   */
  private static String immutableTagError(String repository, String tag) {
    return "{\"errors\":[{\"code\":\"TAG_INVALID\",\"message\":\"The image tag '"
        + tag
        + "' already exists in the '"
        + repository
        + "' repository and cannot be overwritten because the repository is immutable.\"}]}";
  }

  @Test
  @DisplayName("fails a target whose API call is refused, naming the call and ECR's error code")
  void apiRefusal() throws Exception {
    stub.failNextCallWith("AccessDeniedException");
    PushReport report = pipeline("denied").push(ecr("acme/denied")).run();

    TargetResult result = report.results().get(0);
    assertEquals(TargetStatus.FAILED, result.status(), report::toString);
    assertTrue(
        result
            .detail()
            .contains(
                "ECR GetAuthorizationToken failed for ECR registry 123456789012 in eu-west-1:"
                    + " AccessDeniedException"),
        result::detail);
    assertEquals(1, stub.calls(EcrApiStub.GET_AUTHORIZATION_TOKEN));
  }

  @Test
  @DisplayName(
      "never prints the token or the AWS secret key in the report, the Jib log or the console")
  void keepsSecrets() throws Exception {
    ConcurrentLinkedQueue<String> jibLog = new ConcurrentLinkedQueue<>();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    PrintStream originalOut = System.out;
    PushReport report;
    try (PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8)) {
      System.setErr(capture);
      System.setOut(capture);
      report =
          pipeline("secret")
              .addEventHandler(LogEvent.class, event -> jibLog.add(event.getMessage()))
              .push(ecr("acme/secret"))
              .run();
    } finally {
      System.setErr(originalErr);
      System.setOut(originalOut);
    }
    assertEquals(TargetStatus.PUSHED, report.results().get(0).status(), report::toString);
    String token =
        java.util.Base64.getEncoder()
            .encodeToString(("AWS:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    String printed =
        String.join(
            "\n",
            report.toString(),
            String.join("\n", jibLog),
            console.toString(StandardCharsets.UTF_8));
    for (String secret : List.of(PASSWORD, token, SECRET_ACCESS_KEY)) {
      assertFalse(printed.contains(secret), "a secret was printed");
    }
  }

  private static List<TargetStatus> statuses(PushReport report) {
    return report.results().stream().map(TargetResult::status).toList();
  }
}
