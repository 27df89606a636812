package dev.fanout.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("RegistryChecker")
class RegistryCheckerTest {

  @RegisterExtension
  static final LocalRegistryExtension plain = LocalRegistryExtension.plain();

  @RegisterExtension
  static final LocalRegistryExtension secured =
      LocalRegistryExtension.withBasicAuth("ci-bot", "t0ps3cret");

  private static final Optional<BasicAuth> ANONYMOUS = Optional.empty();
  private static final Optional<BasicAuth> WRONG =
      Optional.of(new BasicAuth("ci-bot", "wrong-password"));

  @TempDir
  Path temp;

  @Test
  @DisplayName("raw GET and skopeo agree on a plain registry, with the digest of what was pushed")
  void digestsAgreeOnPlainRegistry() {
    TinyOciImage image = TinyOciImage.write(temp.resolve("layout"), "1.0", "hello plain");
    image.pushWithSkopeo(plain.reference("demo/plain:1.0"), ANONYMOUS);

    assertEquals(Optional.of(image.manifestDigest()),
        RegistryChecker.manifestDigest(plain.host(), "demo/plain", "1.0", ANONYMOUS));
    assertEquals(image.manifestDigest(),
        RegistryChecker.skopeoDigest(plain.reference("demo/plain:1.0"), ANONYMOUS));
  }

  @Test
  @DisplayName("raw GET and skopeo agree, on a registry with basic auth, by tag and by digest")
  void digestsAgreeOnAuthRegistry() {
    TinyOciImage image = TinyOciImage.write(temp.resolve("layout"), "2.0", "hello auth");
    image.pushWithSkopeo(secured.reference("demo/secured:2.0"), secured.credentials());

    assertEquals(Optional.of(image.manifestDigest()), RegistryChecker.manifestDigest(
        secured.host(), "demo/secured", "2.0", secured.credentials()));
    assertEquals(image.manifestDigest(),
        RegistryChecker.skopeoDigest(secured.reference("demo/secured:2.0"), secured.credentials()));
    assertEquals(Optional.of(image.manifestDigest()), RegistryChecker.manifestDigest(
        secured.host(), "demo/secured", image.manifestDigest(), secured.credentials()));
  }

  @Test
  @DisplayName("pushed layer and config blobs are served with their digests; unknown blobs are not")
  void blobsMatchTheirDigests() {
    TinyOciImage image = TinyOciImage.write(temp.resolve("layout"), "1", "hello blobs");
    image.pushWithSkopeo(plain.reference("demo/blobs:1"), ANONYMOUS);
    String unknown = Digests.sha256(new byte[] {1});

    assertTrue(blobMatches("demo/blobs", image.layerDigest()));
    assertTrue(blobMatches("demo/blobs", image.configDigest()));
    assertFalse(blobMatches("demo/blobs", unknown));
  }

  @Test
  @DisplayName("tags lists every pushed tag, and an unknown repository has none")
  void listsTags() {
    TinyOciImage image = TinyOciImage.write(temp.resolve("layout"), "1.0", "hello tags");
    image.pushWithSkopeo(plain.reference("demo/tags:1.0"), ANONYMOUS);
    image.pushWithSkopeo(plain.reference("demo/tags:latest"), ANONYMOUS);

    List<String> tags = RegistryChecker.tags(plain.host(), "demo/tags", ANONYMOUS);

    assertEquals(List.of("1.0", "latest"), tags.stream().sorted().toList());
    assertEquals(List.of(), RegistryChecker.tags(plain.host(), "demo/never-pushed", ANONYMOUS));
  }

  @Test
  @DisplayName("a manifest that is not there reads as empty")
  void missingManifestIsEmpty() {
    assertEquals(Optional.empty(),
        RegistryChecker.manifestDigest(plain.host(), "demo/never-pushed", "1", ANONYMOUS));
  }

  @Test
  @DisplayName("wrong or missing credentials fail with a clear 401 error that hides the password")
  void wrongCredentialsAreRejected() {
    IllegalStateException rejected = assertThrows(IllegalStateException.class,
        () -> RegistryChecker.manifestDigest(secured.host(), "demo/any", "1", WRONG));
    IllegalStateException anonymous = assertThrows(IllegalStateException.class,
        () -> RegistryChecker.tags(secured.host(), "demo/any", ANONYMOUS));

    assertTrue(rejected.getMessage().contains(
            "HTTP 401 (the registry rejected BasicAuth[username=ci-bot, password=***])"),
        rejected.getMessage());
    assertFalse(rejected.getMessage().contains("wrong-password"), rejected.getMessage());
    assertTrue(anonymous.getMessage().contains("HTTP 401 (no credentials were sent)"),
        anonymous.getMessage());
  }

  @Test
  @DisplayName("skopeo with wrong credentials fails with its own error, the password blanked out")
  void skopeoWithWrongCredentialsFails() {
    String reference = secured.reference("demo/any:1");

    IllegalStateException rejected = assertThrows(IllegalStateException.class,
        () -> RegistryChecker.skopeoDigest(reference, WRONG));

    String message = rejected.getMessage();
    assertTrue(message.startsWith("skopeo inspect docker://" + reference + " as ci-bot failed"),
        message);
    assertFalse(message.contains("wrong-password"), message);
  }

  @Test
  @DisplayName("a missing skopeo fails with the command that installs it")
  void missingSkopeoFailsWithInstallHint() {
    IllegalStateException missing = assertThrows(IllegalStateException.class,
        () -> RegistryChecker.skopeoDigest(
            "/nonexistent/skopeo", plain.reference("demo/any:1"), ANONYMOUS));

    assertTrue(missing.getMessage().contains("apt-get install -y skopeo"), missing.getMessage());
  }

  @Test
  @DisplayName("a manifest that does not hash to its Docker-Content-Digest fails with both digests")
  void digestMismatchIsAnAssertionError() throws Exception {
    byte[] body = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
    String announced = Digests.sha256("something else".getBytes(StandardCharsets.UTF_8));
    try (StubServer lyingRegistry =
        StubServer.start(
            "/v2/",
            exchange -> {
              exchange.getResponseHeaders().add("Docker-Content-Digest", announced);
              exchange.sendResponseHeaders(200, body.length);
              exchange.getResponseBody().write(body);
            })) {
      String host = lyingRegistry.url().substring("http://".length());

      AssertionError mismatch = assertThrows(AssertionError.class,
          () -> RegistryChecker.manifestDigest(host, "demo/app", "1", ANONYMOUS));

      assertTrue(mismatch.getMessage().contains(Digests.sha256(body)), mismatch.getMessage());
      assertTrue(mismatch.getMessage().contains(announced), mismatch.getMessage());
    }
  }

  @Test
  @DisplayName("hosts that are not loopback are refused, as credentials would cross the network")
  void refusesRemoteHosts() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> RegistryChecker.tags("registry.example.com", "demo/app", secured.credentials()));

    assertTrue(refused.getMessage().contains("registry.example.com"), refused.getMessage());
  }

  @Test
  @DisplayName("a digest that is not sha256 is rejected before any request is made")
  void rejectsMalformedDigests() {
    assertThrows(IllegalArgumentException.class, () -> blobMatches("demo/app", "md5:abc"));
  }

  private static boolean blobMatches(String repository, String digest) {
    return RegistryChecker.blobDigestMatches(plain.host(), repository, digest, ANONYMOUS);
  }
}
