package dev.fanout.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.RegistryCredential;
import dev.fanout.internal.image.Blob;
import dev.fanout.internal.image.ImageInHand;
import dev.fanout.internal.image.ManifestBytes;
import dev.fanout.internal.image.MediaTypes;
import dev.fanout.internal.transport.RegistryResponseException;
import dev.fanout.internal.transport.RegistryTransport;
import dev.fanout.internal.transport.RepositoryClient;
import dev.fanout.internal.transport.RepositoryEndpoint;
import dev.fanout.internal.transport.RequestRunner;
import dev.fanout.testkit.BasicAuth;
import dev.fanout.testkit.LocalRegistry;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.LoopbackTokenService;
import dev.fanout.testkit.RegistryChecker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport against the real Distribution registry, plain, with htpasswd and with token auth;
 * what landed is read back with skopeo and raw GETs, never with the transport itself.
 */
class TransportPushTest {

  private static final String USER = "alice";
  private static final String PASSWORD = "s3cret-Transport-Pass";

  @RegisterExtension final LocalRegistryExtension plain = LocalRegistryExtension.plain();

  @TempDir Path folder;

  @Test
  @DisplayName("an OCI manifest pushed to a plain registry is served byte for byte under each tag")
  void ociManifestLandsByteIdentical() throws Exception {
    ImageInHand image = TestImages.ociImage(folder, "plain");
    try (RegistryTransport transport = RegistryTransport.create()) {
      String digest =
          client(transport, plain.host(), "acme/app", Optional.empty())
              .push(image, List.of("1.0", "latest"));

      assertEquals(image.digest(), digest);
    }
    for (String tag : List.of("1.0", "latest")) {
      assertArrayEquals(image.root().bytes(), skopeoRaw(plain.reference("acme/app:" + tag), null));
      assertEquals(
          Optional.of(image.digest()),
          RegistryChecker.manifestDigest(plain.host(), "acme/app", tag, Optional.empty()));
    }
    for (Blob blob : image.blobs().values()) {
      assertTrue(
          RegistryChecker.blobDigestMatches(
              plain.host(), "acme/app", blob.digest(), Optional.empty()),
          blob.digest());
    }
  }

  @Test
  @DisplayName(
      "an OCI index lands with its children first, every manifest byte for byte, under LANG=C")
  void ociIndexLandsByteIdentical() throws Exception {
    ImageInHand index = TestImages.ociIndex(folder, "index");
    try (RegistryTransport transport = RegistryTransport.create()) {
      client(transport, plain.host(), "acme/multi", Optional.empty()).push(index, List.of("2.0"));
    }
    assertArrayEquals(index.root().bytes(), skopeoRaw(plain.reference("acme/multi:2.0"), null));
    for (ManifestBytes manifest : index.manifests()) {
      assertArrayEquals(
          manifest.bytes(), skopeoRaw(plain.reference("acme/multi@" + manifest.digest()), null));
    }
    List<String> manifestPuts =
        plain
            .log()
            .lines()
            .filter(line -> line.contains("\"PUT /v2/acme/multi/manifests/"))
            .toList();
    assertEquals(3, manifestPuts.size(), String.join("\n", manifestPuts));
    assertTrue(manifestPuts.get(2).contains("/manifests/2.0 "), manifestPuts.get(2));
  }

  @Test
  @DisplayName("a Docker v2s2 manifest is pushed and read back as Docker, its bytes unchanged")
  void dockerManifestStaysDocker() throws Exception {
    ImageInHand image = TestImages.dockerImage(folder, "docker");
    try (RegistryTransport transport = RegistryTransport.create()) {
      RepositoryClient client = client(transport, plain.host(), "acme/docker", Optional.empty());
      client.push(image, List.of("v1"));

      ManifestBytes fetched = client.fetchManifest("v1");
      assertEquals(MediaTypes.DOCKER_MANIFEST, fetched.mediaType());
      assertArrayEquals(image.root().bytes(), fetched.bytes());
    }
    assertArrayEquals(image.root().bytes(), skopeoRaw(plain.reference("acme/docker:v1"), null));
  }

  @Test
  @DisplayName("a second push of the same image uploads no blob: every HEAD answers 200")
  void secondPushUploadsNothing() throws Exception {
    ImageInHand image = TestImages.ociImage(folder, "again");
    try (RegistryTransport transport = RegistryTransport.create()) {
      client(transport, plain.host(), "acme/app", Optional.empty()).push(image, List.of("1"));
    }
    long uploadsBefore = uploadStarts(plain.registry(), "acme/app");
    assertEquals(3, uploadsBefore, plain.log());

    try (RegistryTransport transport = RegistryTransport.create()) {
      client(transport, plain.host(), "acme/app", Optional.empty()).push(image, List.of("2"));
    }
    assertEquals(uploadsBefore, uploadStarts(plain.registry(), "acme/app"), plain.log());
    assertEquals(
        Optional.of(image.digest()),
        RegistryChecker.manifestDigest(plain.host(), "acme/app", "2", Optional.empty()));
  }

  @Test
  @DisplayName("a second repository on the same host mounts every blob and uploads none")
  void secondRepositoryMountsEveryBlob() throws Exception {
    ImageInHand index = TestImages.ociIndex(folder, "mount");
    try (RegistryTransport transport = RegistryTransport.create()) {
      client(transport, plain.host(), "acme/first", Optional.empty()).push(index, List.of("1"));
      client(transport, plain.host(), "acme/second", Optional.empty()).push(index, List.of("1"));
    }
    assertEquals(0, uploadStarts(plain.registry(), "acme/second"), plain.log());
    long mounted =
        plain
            .log()
            .lines()
            .filter(line -> line.contains("\"POST /v2/acme/second/blobs/uploads/?mount="))
            .filter(line -> line.contains("\" 201 "))
            .count();
    assertEquals(index.blobs().size(), mounted, plain.log());
    assertArrayEquals(index.root().bytes(), skopeoRaw(plain.reference("acme/second:1"), null));
    for (Blob blob : index.blobs().values()) {
      assertTrue(
          RegistryChecker.blobDigestMatches(
              plain.host(), "acme/second", blob.digest(), Optional.empty()));
    }
  }

  @Test
  @DisplayName("a pushed image reads back: the manifest by tag and by digest, every blob to a file")
  void fetchRoundTrip() throws Exception {
    ImageInHand image = TestImages.ociImage(folder, "fetch");
    try (RegistryTransport transport = RegistryTransport.create()) {
      RepositoryClient client = client(transport, plain.host(), "acme/app", Optional.empty());
      client.push(image, List.of("1"));

      assertEquals(image.root(), client.fetchManifest("1"));
      assertEquals(image.root(), client.fetchManifest(image.digest()));
      for (Blob blob : image.blobs().values()) {
        Path into = folder.resolve("fetched-" + blob.digest().substring(7));
        client.fetchBlob(blob.digest(), blob.size(), into);
        try (var expected = blob.content().open()) {
          assertArrayEquals(expected.readAllBytes(), Files.readAllBytes(into));
        }
      }
      assertTrue(client.hasBlob(image.blobs().keySet().iterator().next()));
    }
  }

  @Test
  @DisplayName("an htpasswd registry takes an image and an index with Basic auth")
  void basicAuthRegistry() throws Exception {
    ImageInHand image = TestImages.ociImage(folder, "basic");
    ImageInHand index = TestImages.ociIndex(folder, "basic-index");
    try (LocalRegistry registry = LocalRegistry.withBasicAuth(USER, PASSWORD).start();
        RegistryTransport transport = RegistryTransport.create()) {
      Optional<RegistryCredential> credential = Optional.of(RegistryCredential.of(USER, PASSWORD));
      client(transport, registry.host(), "acme/app", credential).push(image, List.of("1"));
      client(transport, registry.host(), "acme/multi", credential).push(index, List.of("1"));

      assertArrayEquals(
          image.root().bytes(),
          skopeoRaw(registry.reference("acme/app:1"), registry.credentials().get()));
      assertArrayEquals(
          index.root().bytes(),
          skopeoRaw(registry.reference("acme/multi:1"), registry.credentials().get()));
    }
  }

  @Test
  @DisplayName("a wrong password fails with 401, the host and the user named, the password not")
  void wrongPasswordIsNamed() throws Exception {
    ImageInHand image = TestImages.ociImage(folder, "wrong");
    try (LocalRegistry registry = LocalRegistry.withBasicAuth(USER, PASSWORD).start();
        RegistryTransport transport = RegistryTransport.create()) {
      RepositoryClient client =
          client(
              transport,
              registry.host(),
              "acme/app",
              Optional.of(RegistryCredential.of(USER, "not-the-password")));

      RegistryResponseException refused =
          assertThrows(RegistryResponseException.class, () -> client.push(image, List.of("1")));

      assertEquals(401, refused.status());
      assertFalse(refused.getMessage().contains("not-the-password"));
      assertEquals(
          registry.host() + " refused the credential of user 'alice' (401 Unauthorized)",
          refused.getMessage());
    }
  }

  @Test
  @DisplayName("a token-auth registry takes an index; one token serves many requests")
  void tokenAuthRegistry() throws Exception {
    ImageInHand index = TestImages.ociIndex(folder, "token");
    try (LoopbackTokenService tokens = new LoopbackTokenService(USER, PASSWORD);
        LocalRegistry registry = LocalRegistry.withTokenAuth(tokens.auth()).start();
        RegistryTransport transport = RegistryTransport.create()) {
      Optional<RegistryCredential> credential = Optional.of(RegistryCredential.of(USER, PASSWORD));
      client(transport, registry.host(), "acme/multi", credential).push(index, List.of("1"));
      client(transport, registry.host(), "acme/copy", credential).push(index, List.of("1"));
      List<LoopbackTokenService.Request> asked = tokens.requests();

      assertEquals(
          List.of(
              List.of("repository:acme/multi:pull,push"),
              List.of("repository:acme/copy:pull,push"),
              List.of("repository:acme/copy:pull,push", "repository:acme/multi:pull")),
          asked.stream().map(LoopbackTokenService.Request::scopes).toList(),
          "one token per scope set, reused for every request");
      assertTrue(
          asked.stream().allMatch(request -> request.user().equals(Optional.of(USER))),
          asked.toString());
      assertEquals(0, uploadStarts(registry, "acme/copy"), registry.log());
      assertArrayEquals(
          index.root().bytes(),
          skopeoRaw(registry.reference("acme/multi:1"), new BasicAuth(USER, PASSWORD)));
      assertArrayEquals(
          index.root().bytes(),
          skopeoRaw(registry.reference("acme/copy:1"), new BasicAuth(USER, PASSWORD)));
      assertEquals(
          index.root(),
          client(transport, registry.host(), "acme/multi", Optional.empty()).fetchManifest("1"),
          "an anonymous pull with an anonymous token");
    }
  }

  @Test
  @DisplayName("an anonymous push to a token-auth registry fails with 401, the host named")
  void anonymousPushToTokenRegistryFails() throws Exception {
    ImageInHand image = TestImages.ociImage(folder, "anonymous");
    try (LoopbackTokenService tokens = new LoopbackTokenService(USER, PASSWORD);
        LocalRegistry registry = LocalRegistry.withTokenAuth(tokens.auth()).start();
        RegistryTransport transport = RegistryTransport.create()) {
      RepositoryClient client = client(transport, registry.host(), "acme/app", Optional.empty());

      RegistryResponseException refused =
          assertThrows(RegistryResponseException.class, () -> client.push(image, List.of("1")));

      assertEquals(401, refused.status());
      assertTrue(
          refused.getMessage().startsWith(registry.host() + " refused anonymous access"),
          refused.getMessage());
      assertFalse(tokens.requests().isEmpty());
    }
  }

  private static RepositoryClient client(
      RegistryTransport transport,
      String host,
      String repository,
      Optional<RegistryCredential> credential) {
    return transport.repository(
        new RepositoryEndpoint(host, repository, true), credential, RequestRunner.once());
  }

  /** Upload sessions opened in a repository: POSTs to its uploads URL without a mount. */
  private static long uploadStarts(LocalRegistry registry, String repository) {
    return registry
        .log()
        .lines()
        .filter(line -> line.contains("\"POST /v2/" + repository + "/blobs/uploads/ HTTP"))
        .count();
  }

  /** The manifest bytes as skopeo reads them, in the C locale. */
  private static byte[] skopeoRaw(String reference, BasicAuth credentials) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("skopeo", "inspect", "--raw", "--tls-verify=false"));
    if (credentials == null) {
      command.add("--no-creds");
    } else {
      command.addAll(List.of("--creds", credentials.username() + ":" + credentials.password()));
    }
    command.add("docker://" + reference);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("LANG", "C");
    builder.environment().put("LC_ALL", "C");
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), "skopeo inspect --raw " + reference + ": " + err);
    return out;
  }
}
