package dev.fanout.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("LocalRegistry")
class LocalRegistryTest {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  @DisplayName("a plain registry answers GET /v2/ with 200 on a loopback port")
  void plainRegistryAnswers() throws Exception {
    try (LocalRegistry registry = LocalRegistry.plain().start()) {
      assertEquals("127.0.0.1:" + registry.port(), registry.host());
      assertEquals(registry.host() + "/demo/app:1", registry.reference("demo/app:1"));
      assertEquals(200, statusOfV2(registry, Optional.empty()));
      assertEquals(Optional.empty(), registry.credentials());
    }
  }

  @Test
  @DisplayName("a registry with basic auth answers 401 unless given the right credentials")
  void basicAuthRegistryChecksCredentials() throws Exception {
    try (LocalRegistry registry = LocalRegistry.withBasicAuth("alice", "s3cret:pass").start()) {
      assertEquals(401, statusOfV2(registry, Optional.empty()));
      assertEquals(401, statusOfV2(registry, Optional.of(new BasicAuth("alice", "wrong"))));
      assertEquals(200, statusOfV2(registry, registry.credentials()));
      assertEquals("alice", registry.username());
      assertEquals("s3cret:pass", registry.password());
    }
  }

  @Test
  @DisplayName("a registry with token auth challenges GET /v2/ with a Bearer realm and service")
  void tokenAuthRegistryChallenges(@TempDir Path folder) throws Exception {
    TokenAuth tokens =
        new TokenAuth(
            "http://127.0.0.1:1/token", "registry.test", "test-issuer", selfSignedPem(folder));
    try (LocalRegistry registry = LocalRegistry.withTokenAuth(tokens).start()) {
      HttpResponse<Void> answer =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://" + registry.host() + "/v2/")).build(),
              HttpResponse.BodyHandlers.discarding());

      assertEquals(401, answer.statusCode());
      assertEquals(
          Optional.of("Bearer realm=\"http://127.0.0.1:1/token\",service=\"registry.test\""),
          answer.headers().firstValue("WWW-Authenticate"));
      assertEquals(Optional.empty(), registry.credentials());
    }
  }

  @Test
  @DisplayName("the log holds the start-up lines and one access-log line per request")
  void logHasAccessLines() throws Exception {
    try (LocalRegistry registry = LocalRegistry.plain().start()) {
      statusOfV2(registry, Optional.empty());
      assertTrue(registry.log().contains("listening on " + registry.host()), registry.log());
      assertTrue(registry.log().contains("\"GET /v2/ HTTP/1.1\" 200"), registry.log());
    }
  }

  @Test
  @DisplayName("stop() frees the port and deletes the temporary folder, and may be called twice")
  void stopCleansUp() {
    LocalRegistry registry = LocalRegistry.plain().start();
    int port = registry.port();
    Path folder = registry.folder();
    assertTrue(accepts(port));
    assertTrue(Files.isDirectory(folder));

    registry.stop();
    registry.stop();

    assertFalse(accepts(port), "port " + port + " still accepts connections");
    assertFalse(Files.exists(folder), folder + " still exists");
    IllegalStateException stopped = assertThrows(IllegalStateException.class, registry::host);
    assertTrue(stopped.getMessage().contains("not running"), stopped.getMessage());
  }

  @Test
  @DisplayName("a missing docker-registry binary fails with the command that installs it")
  void missingBinaryFailsWithInstallHint() {
    LocalRegistry registry = new LocalRegistry("/nonexistent/docker-registry", Optional.empty());

    IllegalStateException missing = assertThrows(IllegalStateException.class, registry::start);

    String message = missing.getMessage();
    assertTrue(message.contains("apt-get install -y docker-registry"), message);
    assertTrue(message.contains("/nonexistent/docker-registry"), message);
    assertFalse(Files.exists(registry.folder()));
  }

  @Test
  @DisplayName("a registry that exits during start-up fails with its exit code and its log")
  void earlyExitShowsTheLog(@TempDir Path temp) throws IOException {
    Path broken = temp.resolve("broken-registry");
    Files.writeString(broken, "#!/bin/sh\necho 'configuration error: simulated' >&2\nexit 3\n");
    Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwx------"));
    LocalRegistry registry = new LocalRegistry(broken.toString(), Optional.empty());

    IllegalStateException failed = assertThrows(IllegalStateException.class, registry::start);

    String message = failed.getMessage();
    assertTrue(message.contains("did not become ready"), message);
    assertTrue(message.contains("exited with code 3"), message);
    assertTrue(message.contains("configuration error: simulated"), message);
    assertFalse(Files.exists(registry.folder()));
  }

  @Test
  @DisplayName("a handle starts only once, and a plain registry has no username to give")
  void misuseIsExplained() {
    try (LocalRegistry registry = LocalRegistry.plain()) {
      assertThrows(IllegalStateException.class, registry::port, "port before start");
      registry.start();
      assertThrows(IllegalStateException.class, registry::start);
      IllegalStateException noUsers = assertThrows(IllegalStateException.class, registry::username);
      assertTrue(noUsers.getMessage().contains("plain()"), noUsers.getMessage());
    }
  }

  @Test
  @DisplayName("toString names the host and user but never the password")
  void toStringHidesPassword() {
    try (LocalRegistry registry = LocalRegistry.withBasicAuth("alice", "hunter2").start()) {
      assertEquals(
          "LocalRegistry[" + registry.host() + ", basic auth as alice]", registry.toString());
      assertFalse(registry.toString().contains("hunter2"));
    }
  }

  static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A self-signed certificate from the JDK's keytool, as PEM: the registry's token root. */
  private static String selfSignedPem(Path folder) throws Exception {
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    String store = folder.resolve("token.p12").toString();
    run(
        keytool,
        "-genkeypair",
        "-keystore",
        store,
        "-storepass",
        "test-store",
        "-alias",
        "t",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=test",
        "-validity",
        "1");
    return run(
        keytool,
        "-exportcert",
        "-rfc",
        "-keystore",
        store,
        "-storepass",
        "test-store",
        "-alias",
        "t");
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
    return output;
  }

  private static int statusOfV2(LocalRegistry registry, Optional<BasicAuth> credentials)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://" + registry.host() + "/v2/"));
    credentials.ifPresent(c -> request.header("Authorization", c.basicAuthorization()));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
