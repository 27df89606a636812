package dev.fanout.ecr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.RegistryCredential;
import dev.fanout.spi.PushContext;
import dev.fanout.spi.PushDestination;
import dev.fanout.spi.RegistryFailure;
import dev.fanout.spi.TargetSpec;
import dev.fanout.testkit.StubServer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Readying an ECR target")
class EcrPrepareTest {

  private static final String REPOSITORY = "acme/app";
  private static final String PASSWORD = "stub-token-password";

  private EcrApiStub stub;

  @AfterEach
  void stopStub() {
    if (stub != null) {
      stub.close();
    }
  }

  private EcrApiStub stub(String proxyEndpoint) throws IOException {
    stub = EcrApiStub.start(EcrPushTest.ACCOUNT, EcrPushTest.REGION, PASSWORD, proxyEndpoint);
    stub.withRepository(REPOSITORY);
    return stub;
  }

  private static TargetSpec target(boolean plainHttp) {
    return new TargetSpec(
        ImageReference.of(EcrPushTest.REGISTRY, REPOSITORY, null), List.of("1.0"), Optional.empty(), plainHttp);
  }

  private static EcrBackend backend() {
    return new EcrBackend(Clock.systemUTC());
  }

  @Test
  @DisplayName("pushes to the token's loopback endpoint as user AWS with the decoded password")
  void pushesToProxyEndpoint() throws Exception {
    stub("http://127.0.0.1:5999");
    PushDestination destination = backend().prepare(target(true), EcrPushTest.environment(stub));
    assertEquals("127.0.0.1:5999", destination.endpoint().getRegistry());
    assertEquals(REPOSITORY, destination.endpoint().getRepository());
    assertEquals("AWS", destination.credential().orElseThrow().username());
    assertEquals(PASSWORD, destination.credential().orElseThrow().secret());
    assertEquals(
        List.of("pushed through 127.0.0.1:5999, the endpoint ECR gave with the token"),
        destination.notes());
  }

  @Test
  @DisplayName("refuses a plain-HTTP token endpoint unless the target allows plain HTTP")
  void plainEndpointNeedsPermission() throws Exception {
    stub("http://127.0.0.1:5999");
    IOException refused =
        assertThrows(
            IOException.class, () -> backend().prepare(target(false), EcrPushTest.environment(stub)));
    assertEquals(
        "the ECR token's endpoint http://127.0.0.1:5999 speaks plain HTTP; allow it with"
            + " Target.allowPlainHttp() if it is a stand-in on this machine",
        refused.getMessage());
  }

  @Test
  @DisplayName("never sends the token over plain HTTP to an endpoint off this machine")
  void plainHttpOnlyToLoopback() throws Exception {
    stub("http://registry.example.com");
    IOException refused =
        assertThrows(
            IOException.class, () -> backend().prepare(target(true), EcrPushTest.environment(stub)));
    assertTrue(refused.getMessage().contains("sends the token unprotected only to a loopback address"), refused::getMessage);
  }

  @Test
  @DisplayName("pushes to the target's own host when the token's endpoint names another ECR account")
  void crossAccount() throws Exception {
    stub("https://210987654321.dkr.ecr.eu-west-1.amazonaws.com");
    PushDestination destination = backend().prepare(target(false), EcrPushTest.environment(stub));
    assertEquals(EcrPushTest.REGISTRY, destination.endpoint().getRegistry());
    assertEquals(List.of(), destination.notes());
  }

  @Test
  @DisplayName("pushes with a credential the target names, without any ECR API call")
  void ownCredential() throws Exception {
    stub("http://127.0.0.1:5999");
    TargetSpec target =
        new TargetSpec(
            ImageReference.of(EcrPushTest.REGISTRY, REPOSITORY, null),
            List.of("1.0"),
            Optional.of(CredentialSource.of("AWS", "from-get-login-password")),
            false);
    PushDestination destination = backend().prepare(target, EcrPushTest.environment(stub));
    assertEquals(EcrPushTest.REGISTRY, destination.endpoint().getRegistry());
    assertEquals("from-get-login-password", destination.credential().orElseThrow().secret());
    assertEquals(0, stub.calls(EcrApiStub.GET_AUTHORIZATION_TOKEN) + stub.calls(EcrApiStub.DESCRIBE_REPOSITORIES));
  }

  @Test
  @DisplayName(
      "renews a refused token once for all targets that share it, and reuses it otherwise")
  void newTokenAfter401() throws Exception {
    stub("http://127.0.0.1:5999");
    EcrBackend backend = backend();
    Environment environment = EcrPushTest.environment(stub);
    PushDestination first = backend.prepare(target(true), environment);
    backend.prepare(target(true), environment);
    assertEquals(1, stub.calls(EcrApiStub.GET_AUTHORIZATION_TOKEN));
    stub.password("rotated-password");

    RegistryCredential renewed =
        backend.renewCredential(target(true), first, environment).orElseThrow();
    RegistryCredential renewedByAnother =
        backend.renewCredential(target(true), first, environment).orElseThrow();

    assertEquals("rotated-password", renewed.secret());
    assertEquals("rotated-password", renewedByAnother.secret());
    assertEquals(2, stub.calls(EcrApiStub.GET_AUTHORIZATION_TOKEN));
  }

  @Test
  @DisplayName(
      "makes an immutable-tag rejection final, naming the tag from the request and the target's"
          + " repository, whatever the message says")
  void immutableTag() {
    RegistryFailure fromEcr =
        new RegistryFailure(
            OptionalInt.of(400),
            List.of("TAG_INVALID"),
            Map.of(),
            Optional.empty(),
            false,
            "HTTP 400 Bad Request",
            Optional.of("PUT"),
            Optional.of("/v2/acme/app/manifests/1.4.2"));
    RegistryFailure refined = backend().refine(fromEcr, context());
    assertFalse(refined.retryable());
    assertEquals(
        "tag '1.4.2' already exists in ECR repository 'acme/app', whose tags are immutable"
            + " (TAG_INVALID); not retried: push a new tag, or make the repository's tags mutable",
        refined.message());
  }

  @Test
  @DisplayName(
      "explains ECR's NAME_UNKNOWN for a role that may not look repositories up, with creation on:"
          + " the permissions that let Fanout create it")
  void missingRepositoryWithCreationOn() {
    RegistryFailure missing =
        new RegistryFailure(
            OptionalInt.of(404),
            List.of("NAME_UNKNOWN"),
            Map.of(),
            Optional.empty(),
            false,
            "HTTP 404 Not Found",
            Optional.of("POST"),
            Optional.of("/v2/acme/app/blobs/uploads/"));
    RegistryFailure refined = backend().refine(missing, context());
    assertFalse(refined.retryable());
    assertTrue(
        refined
            .message()
            .startsWith(
                "ECR repository acme/app does not exist in ECR registry 123456789012 in eu-west-1"
                    + " (NAME_UNKNOWN: HTTP 404 Not Found)"),
        refined::message);
    assertTrue(
        refined
            .message()
            .endsWith(
                "or give the role ecr:DescribeRepositories and ecr:CreateRepository, and Fanout"
                    + " creates it"),
        refined::message);
  }

  @Test
  @DisplayName("leaves a registry 429 to Fanout's retry policy")
  void tooManyRequests() {
    RegistryFailure throttled =
        new RegistryFailure(
            OptionalInt.of(429),
            List.of("TOOMANYREQUESTS"),
            Map.of("retry-after", "1"),
            Optional.of(Duration.ofSeconds(1)),
            true,
            "HTTP 429 Too Many Requests");
    assertSame(throttled, backend().refine(throttled, context()));
  }

  private static PushContext context() {
    return new PushContext(
        target(false),
        new PushDestination(target(false).reference(), Optional.empty()),
        1,
        Instant.now().plus(Duration.ofMinutes(10)));
  }

  @Test
  @DisplayName("asks the instance metadata service neither in the condition nor when no credentials are configured")
  void neverAsksInstanceMetadata() throws Exception {
    stub("http://127.0.0.1:5999");
    AtomicInteger metadataRequests = new AtomicInteger();
    StubServer metadata =
        StubServer.start(
            "/",
            exchange -> {
              metadataRequests.incrementAndGet();
              exchange.sendResponseHeaders(404, -1);
            });
    String disabled = System.getProperty("aws.disableEc2Metadata");
    System.clearProperty("aws.disableEc2Metadata");
    System.setProperty(
        "aws.ec2MetadataServiceEndpoint", metadata.url());
    try {
      Environment noCredentials = Environment.of(Map.of("AWS_ENDPOINT_URL_ECR", stub.endpoint()));
      assertFalse(EcrConditions.awsCredentialsPresent().evaluate(noCredentials).holds());
      IOException refused =
          assertThrows(IOException.class, () -> backend().prepare(target(true), noCredentials));
      assertEquals(0, metadataRequests.get(), "requests to the instance metadata service");
      assertEquals(0, stub.calls(EcrApiStub.GET_AUTHORIZATION_TOKEN));
      assertTrue(
          refused.getMessage().startsWith("cannot call the ECR API of ECR registry 123456789012 in eu-west-1: no AWS credentials"),
          refused::getMessage);
    } finally {
      System.clearProperty("aws.ec2MetadataServiceEndpoint");
      if (disabled != null) {
        System.setProperty("aws.disableEc2Metadata", disabled);
      }
      metadata.close();
    }
  }
}
