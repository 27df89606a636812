package dev.fanout.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.PushReport;
import dev.fanout.Target;
import dev.fanout.TargetStatus;
import dev.fanout.testkit.BasicAuth;
import dev.fanout.testkit.LocalRegistry;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.LoopbackTokenService;
import dev.fanout.testkit.OciLayouts;
import dev.fanout.testkit.RegistryChecker;
import dev.fanout.testkit.TestImages;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real Maven builds of the sample projects in {@code src/it}, pushing to real local registries and
 * checked with clients that are not Fanout's (raw HTTP GETs, skopeo).
 */
class MavenBuildIT {

  private static final String USER = "fanout-it";

  /** The password {@code src/it/settings-security.xml} decrypts {@link #ENCRYPTED} to. */
  private static final String PASSWORD = "it-registry-secret-5b2f";

  private static final String ENCRYPTED =
      "{wigX0M0KpgkHcziyZ8fehLIxx0H9ziaLq44Q0Qxy8GAT470rLEaXnNMcmms4J5Sh}";

  /** The password of the token-auth registry's token server. */
  private static final String TOKEN_PASSWORD = "it-token-secret-9c41";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension static final LocalRegistryExtension PLAIN = LocalRegistryExtension.plain();

  @RegisterExtension
  static final LocalRegistryExtension AUTH = LocalRegistryExtension.withBasicAuth(USER, PASSWORD);

  @Test
  @DisplayName(
      "fanout:plan in an offline build (mvn -o, as every sample build here) with no credentials"
          + " prints every target, says why one is skipped, and opens no connection")
  void planOpensNoConnection() throws IOException {
    try (ServerSocket first = listening();
        ServerSocket second = listening();
        ServerSocket third = listening()) {
      SampleBuild.Result build =
          SampleBuild.of("jar-app", "plan")
              .run(
                  "fanout:plan",
                  "-Dit.plain=127.0.0.1:" + first.getLocalPort(),
                  "-Dit.auth=127.0.0.1:" + second.getLocalPort(),
                  "-Dit.token=127.0.0.1:" + third.getLocalPort());

      assertEquals(0, build.exitCode(), build.seeLog());
      assertTrue(
          build.log().contains("127.0.0.1:" + second.getLocalPort() + "/it/jar-app-env")
              && build.log().contains("skip    IT_USERNAME and IT_PASSWORD are not set"),
          build.seeLog());
      assertTrue(build.log().contains("push    always"), build.seeLog());
      assertTrue(
          build.log().lines().anyMatch(l -> l.contains("/it/jar-app-pr ") && l.contains(" skip ")),
          build.seeLog());
      assertTrue(
          build.log().contains("skip    IT_TOKEN_USERNAME and IT_TOKEN_PASSWORD are not set"),
          build.seeLog());
      assertNoConnection(first);
      assertNoConnection(second);
      assertNoConnection(third);
    }
  }

  @Test
  @DisplayName("-Dfanout.skip pushes nothing and says so")
  void skipDoesNothing() {
    SampleBuild.Result build =
        SampleBuild.of("jar-app", "skip")
            .run(
                "fanout:push",
                "-Dfanout.skip=true",
                "-Dfanout.tags=skipped",
                "-Dit.plain=" + PLAIN.host(),
                "-Dit.auth=" + AUTH.host());

    assertEquals(0, build.exitCode(), build.seeLog());
    assertTrue(build.log().contains("fanout: skipped (fanout.skip)"), build.seeLog());
    assertEquals(
        Optional.empty(),
        RegistryChecker.manifestDigest(PLAIN.host(), "it/jar-app", "skipped", Optional.empty()));
  }

  @Test
  @DisplayName(
      "fanout:push builds a jar app once and pushes one digest to a plain registry, to an"
          + " htpasswd one with an encrypted settings.xml server and with environment variables,"
          + " and to a token-auth one, printing each password only in GitHub Actions'"
          + " ::add-mask:: command")
  void pushesOneDigestEverywhere() throws Exception {
    try (LoopbackTokenService tokens = new LoopbackTokenService(USER, TOKEN_PASSWORD);
        LocalRegistry token = LocalRegistry.withTokenAuth(tokens.auth()).start()) {
      pushesOneDigestEverywhere(token);
    }
  }

  private void pushesOneDigestEverywhere(LocalRegistry token)
      throws IOException, InterruptedException {
    Path summary = Files.createTempFile("github-summary", ".md");
    SampleBuild sample =
        SampleBuild.of("jar-app", "push")
            .server(AUTH.host(), USER, ENCRYPTED)
            .env("IT_USERNAME", USER)
            .env("IT_PASSWORD", PASSWORD)
            .env("IT_TOKEN_USERNAME", USER)
            .env("IT_TOKEN_PASSWORD", TOKEN_PASSWORD)
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_STEP_SUMMARY", summary.toString());

    SampleBuild.Result build =
        sample.run(
            "package",
            "fanout:push",
            "-Dfanout.tags=1.0.0,latest",
            "-Dit.plain=" + PLAIN.host(),
            "-Dit.auth=" + AUTH.host(),
            "-Dit.token=" + token.host());

    assertEquals(0, build.exitCode(), build.seeLog());
    for (String secret : List.of(PASSWORD, TOKEN_PASSWORD)) {
      List<String> withSecret = build.log().lines().filter(l -> l.contains(secret)).toList();
      assertFalse(withSecret.isEmpty(), "a password was never masked: " + build.seeLog());
      assertTrue(
          withSecret.stream().allMatch(l -> l.equals("::add-mask::" + secret)),
          "a password outside ::add-mask::, " + build.seeLog());
    }
    String table = Files.readString(summary, StandardCharsets.UTF_8);
    assertTrue(
        table.lines().anyMatch(l -> l.contains("`settings-server`") && l.contains("pushed")),
        table);
    JsonNode report = report(sample);
    assertTrue(report.get("succeeded").asBoolean(), build.seeLog());
    String digest = report.get("digest").asText();
    JsonNode targets = report.get("targets");
    assertEquals(5, targets.size());
    for (int i = 0; i < 4; i++) {
      assertEquals("PUSHED", targets.get(i).get("status").asText(), targets.get(i).toString());
      assertEquals(digest, targets.get(i).get("digest").asText(), targets.get(i).toString());
    }
    assertEquals("SKIPPED", targets.get(4).get("status").asText());
    assertEquals(Optional.of(digest), manifest(PLAIN.host(), "it/jar-app", "1.0.0", false));
    assertEquals(Optional.of(digest), manifest(AUTH.host(), "it/jar-app", "latest", true));
    assertEquals(Optional.of(digest), manifest(AUTH.host(), "it/jar-app-env", "1.0.0", true));
    assertEquals(
        digest,
        RegistryChecker.skopeoDigest(PLAIN.reference("it/jar-app:1.0.0"), Optional.empty()));
    assertEquals(
        digest,
        RegistryChecker.skopeoDigest(
            token.reference("it/jar-app-token:latest"),
            Optional.of(new BasicAuth(USER, TOKEN_PASSWORD))));

    JsonNode config = skopeoConfig(PLAIN.reference("it/jar-app:1.0.0")).get("config");
    assertEquals(
        List.of("java", "-Xss1m", "-cp", "/app/resources:/app/classes:/app/libs/*", "it.app.Main"),
        strings(config.get("Entrypoint")));
    assertTrue(config.get("ExposedPorts").has("8080/tcp"), config.toString());
    assertEquals("jar-app", config.get("Labels").get("org.opencontainers.image.title").asText());
  }

  @Test
  @DisplayName(
      "a down registry: as an optional target the build stays green, as a required one it fails"
          + " with the reason; both builds push the same digest to the registry that is up")
  void downRegistry() throws IOException {
    int closed = closedPort();
    Path outputs = Files.createTempFile("github-output", ".txt");
    SampleBuild optional =
        SampleBuild.of("jar-app", "optional-down")
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_OUTPUT", outputs.toString());
    SampleBuild.Result green =
        optional.run(
            "package",
            "fanout:push",
            "-Dfanout.maxAttempts=1",
            "-Dfanout.tags=optional-down",
            "-Dit.authOptional=true",
            "-Dit.plain=" + PLAIN.host(),
            "-Dit.auth=127.0.0.1:" + closed,
            "-Dit.token=127.0.0.1:" + closed);
    SampleBuild.Result red =
        SampleBuild.of("jar-app", "required-down")
            .run(
                "package",
                "fanout:push",
                "-Dfanout.maxAttempts=1",
                "-Dfanout.tags=required-down",
                "-Dit.plain=" + PLAIN.host(),
                "-Dit.auth=127.0.0.1:" + closed,
                "-Dit.token=127.0.0.1:" + closed);

    assertEquals(0, green.exitCode(), green.seeLog());
    JsonNode report = report(optional);
    assertEquals("FAILED", report.get("targets").get(1).get("status").asText());
    assertTrue(report.get("targets").get(1).get("optional").asBoolean());
    String written = Files.readString(outputs, StandardCharsets.UTF_8);
    assertTrue(written.contains("pushed-plain=true"), written);
    assertTrue(written.contains("pushed-settings-server=false"), written);
    assertTrue(written.contains("digest=" + report.get("digest").asText()), written);

    assertNotEquals(0, red.exitCode(), red.seeLog());
    assertTrue(
        red.log().contains("required targets failed: settings-server (127.0.0.1:" + closed),
        red.seeLog());
    assertTrue(red.log().contains("cannot connect to the registry"), red.seeLog());

    Optional<String> first = manifest(PLAIN.host(), "it/jar-app", "optional-down", false);
    assertTrue(first.isPresent());
    assertEquals(first, manifest(PLAIN.host(), "it/jar-app", "required-down", false));
  }

  @Test
  @DisplayName(
      "in a multi-module build with mvn -T 2, Maven warns of no goal that is not thread-safe; the"
          + " app's image lands with one digest on the plain, htpasswd and token-auth registries;"
          + " the app's and the worker's images, pushed in parallel, each hold the base image's"
          + " files and environment and the reactor's library jar and run their own main class; the"
          + " modules without targets do nothing")
  void multiModule() throws Exception {
    try (LoopbackTokenService tokens = new LoopbackTokenService(USER, TOKEN_PASSWORD);
        LocalRegistry token = LocalRegistry.withTokenAuth(tokens.auth()).start()) {
      multiModule(token);
    }
  }

  private void multiModule(LocalRegistry token) throws Exception {
    SampleBuild sample =
        SampleBuild.of("multi-module", "multi-module")
            .server(AUTH.host(), USER, ENCRYPTED)
            .env("IT_TOKEN_USERNAME", USER)
            .env("IT_TOKEN_PASSWORD", TOKEN_PASSWORD);
    Path base = sample.folder().resolve("base.tar");
    Path baseFiles = Files.createDirectories(sample.folder().resolve("base-files"));
    TestImages.smallApp(baseFiles, "from the base image")
        .addEnvironmentVariable("FROM_BASE", "yes")
        .containerize(Containerizer.to(TarImage.at(base).named("it/base:1")));

    SampleBuild.Result build =
        sample.run(
            "-T",
            "2",
            "package",
            "fanout:push",
            "-Dfanout.tags=1",
            "-Dit.plain=" + PLAIN.host(),
            "-Dit.auth=" + AUTH.host(),
            "-Dit.token=" + token.host(),
            "-Dit.base=" + base);

    assertEquals(0, build.exitCode(), build.seeLog());
    String digest = report(sample.folder().resolve("app")).get("digest").asText();
    assertEquals(
        digest,
        RegistryChecker.skopeoDigest(PLAIN.reference("it/multi-module:1"), Optional.empty()));
    assertEquals(
        digest,
        RegistryChecker.skopeoDigest(AUTH.reference("it/multi-module:1"), AUTH.credentials()));
    assertEquals(
        digest,
        RegistryChecker.skopeoDigest(
            token.reference("it/multi-module:1"),
            Optional.of(new BasicAuth(USER, TOKEN_PASSWORD))));
    // Maven 3.8 says "not marked as @threadSafe", 3.9 "not marked as thread-safe".
    assertFalse(
        build.log().contains("@threadSafe") || build.log().contains("thread-safe"), build.seeLog());
    assertTrue(
        build.log().contains("fanout: no <targets> in this module's configuration"),
        build.seeLog());
    record Image(String repository, String mainClass, String says) {}
    for (Image image :
        List.of(
            new Image("it/multi-module", "it.multi.Main", "hello from the multi-module app"),
            new Image(
                "it/multi-module-worker",
                "it.worker.Main",
                "hello from the multi-module app, from the worker"))) {
      JsonNode config = skopeoConfig(PLAIN.reference(image.repository() + ":1")).get("config");
      assertEquals(
          List.of("java", "-cp", "/app/resources:/app/classes:/app/libs/*", image.mainClass()),
          strings(config.get("Entrypoint")));
      assertTrue(
          strings(config.get("Env")).containsAll(List.of("GREETING_STYLE=plain", "FROM_BASE=yes")),
          config.toString());
      Path root = sample.folder().resolve("image-files-" + image.mainClass());
      List<String> files = extractLayers(PLAIN.host(), image.repository(), "1", root);
      assertTrue(files.contains("app/libs/lib-1.0.0.jar"), "the reactor's lib jar: " + files);
      assertTrue(files.contains("app/hello.txt"), "the base image's file: " + files);
      assertEquals(image.says(), runEntrypoint(strings(config.get("Entrypoint")), root));
    }
  }

  @Test
  @DisplayName(
      "an app for linux/amd64 and linux/arm64/v8 whose <from> is a multi-platform image in a"
          + " loopback registry over plain HTTP: one index digest lands on the plain, htpasswd"
          + " and token-auth registries, its entries name each platform with the variant, and each"
          + " platform's layers start with the base's for that platform")
  void registryBaseImage() throws Exception {
    try (LoopbackTokenService tokens = new LoopbackTokenService(USER, TOKEN_PASSWORD);
        LocalRegistry token = LocalRegistry.withTokenAuth(tokens.auth()).start()) {
      registryBaseImage(token);
    }
  }

  private void registryBaseImage(LocalRegistry token) throws Exception {
    SampleBuild sample =
        SampleBuild.of("registry-base", "registry-base")
            .server(AUTH.host(), USER, ENCRYPTED)
            .env("IT_TOKEN_USERNAME", USER)
            .env("IT_TOKEN_PASSWORD", TOKEN_PASSWORD);
    String base = PLAIN.reference("base/java:1");
    Path baseFiles = Files.createDirectories(sample.folder().resolve("base-files"));
    PushReport pushedBase =
        Pipeline.prepare(Environment.of(Map.of()))
            .image(
                TestImages.smallApp(baseFiles, "from the registry base image")
                    .addEnvironmentVariable("FROM_BASE", "registry")
                    .setPlatforms(
                        new LinkedHashSet<>(
                            List.of(
                                new Platform("amd64", "linux"), new Platform("arm64", "linux")))))
            .tags("1")
            .push(Target.to(PLAIN.reference("base/java")).allowPlainHttp())
            .run();
    assertEquals(1, pushedBase.withStatus(TargetStatus.PUSHED).size(), pushedBase.toString());

    SampleBuild.Result build =
        sample.run(
            "package",
            "fanout:push",
            "-Dfanout.tags=1",
            "-Dit.base=" + base,
            "-Dit.plain=" + PLAIN.host(),
            "-Dit.auth=" + AUTH.host(),
            "-Dit.token=" + token.host());

    assertEquals(0, build.exitCode(), build.seeLog());
    assertTrue(
        build.log().contains("platforms linux/amd64, linux/arm64/v8"),
        "the plan: " + build.seeLog());
    String digest = report(sample).get("digest").asText();
    assertEquals(Optional.of(digest), manifest(PLAIN.host(), "it/registry-base", "1", false));
    assertEquals(Optional.of(digest), manifest(AUTH.host(), "it/registry-base", "1", true));
    String app = AUTH.reference("it/registry-base:1");
    assertEquals(digest, RegistryChecker.skopeoDigest(app, AUTH.credentials()));
    assertEquals(
        digest,
        RegistryChecker.skopeoDigest(
            token.reference("it/registry-base:1"),
            Optional.of(new BasicAuth(USER, TOKEN_PASSWORD))));
    List<JsonNode> platforms = new ArrayList<>();
    skopeoRaw(PLAIN.reference("it/registry-base:1"))
        .get("manifests")
        .forEach(entry -> platforms.add(entry.get("platform")));
    assertEquals(
        List.of(
            JSON.readTree("{\"architecture\": \"amd64\", \"os\": \"linux\"}"),
            JSON.readTree("{\"architecture\": \"arm64\", \"os\": \"linux\", \"variant\": \"v8\"}")),
        platforms);
    for (String architecture : List.of("amd64", "arm64")) {
      List<String> baseLayers = skopeoLayers(base, architecture, Optional.empty());
      List<String> layers = skopeoLayers(app, architecture, AUTH.credentials());
      assertTrue(
          layers.size() > baseLayers.size()
              && layers.subList(0, baseLayers.size()).equals(baseLayers),
          architecture + ": the base's layers " + baseLayers + ", the app's " + layers);
    }
    JsonNode config = skopeoConfig(PLAIN.reference("it/registry-base:1"));
    List<String> diffIds = strings(config.get("rootfs").get("diff_ids"));
    List<String> baseDiffIds = strings(skopeoConfig(base).get("rootfs").get("diff_ids"));
    assertEquals(baseDiffIds, diffIds.subList(0, baseDiffIds.size()), "diff_ids " + diffIds);
    assertTrue(
        strings(config.get("config").get("Env")).contains("FROM_BASE=registry"), config.toString());
  }

  @Test
  @DisplayName(
      "in a module with packaging pom, <ociLayout> pushes a layout byte for byte and"
          + " <registryImage> copies that image from the plain registry to the htpasswd one:"
          + " the layout's digest on both")
  void existingImages() {
    SampleBuild sample =
        SampleBuild.of("existing-image", "existing-image").server(AUTH.host(), USER, ENCRYPTED);
    OciLayouts.Layout layout = OciLayouts.singleManifest(sample.folder().resolve("layout"));

    SampleBuild.Result build =
        sample.run(
            "fanout:push@layout",
            "fanout:push@copy",
            "-Dfanout.tags=1",
            "-Dit.layout=" + layout.path(),
            "-Dit.plain=" + PLAIN.host(),
            "-Dit.auth=" + AUTH.host());

    assertEquals(0, build.exitCode(), build.seeLog());
    assertEquals(
        Optional.of(layout.digest()), manifest(PLAIN.host(), "it/from-layout", "1", false));
    assertEquals(Optional.of(layout.digest()), manifest(AUTH.host(), "it/copied", "1", true));
    assertEquals(
        layout.digest(),
        RegistryChecker.skopeoDigest(AUTH.reference("it/copied:1"), AUTH.credentials()));
  }

  @Test
  @DisplayName(
      "the README's release POM without its backends fails fanout:plan, naming every dependency"
          + " to add, and still shows why each target is skipped")
  void missingBackends() {
    SampleBuild.Result build =
        SampleBuild.of("release", "release")
            .env("CI_COMMIT_BRANCH", "main")
            .env("CI_COMMIT_SHA", "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d")
            .run("fanout:plan");

    assertNotEquals(0, build.exitCode(), build.seeLog());
    assertTrue(build.log().contains("the configuration has 3 problems"), build.seeLog());
    for (String module :
        List.of("fanout-registry-dockerhub", "fanout-registry-ecr", "fanout-registry-gar")) {
      assertTrue(
          build.log().contains("add dev.fanout:" + module + " to fanout-maven-plugin's"),
          module + ": " + build.seeLog());
    }
    assertTrue(
        build.log().contains("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"),
        build.seeLog());
  }

  @Test
  @DisplayName(
      "the release example (examples/maven-plugin) on main, with no cloud credentials: each cloud"
          + " target skipped with its reason in the build log, the image pushed to the registry of"
          + " -Dlocal.registry; two builds of the same commit, one to a plain registry and one to"
          + " an htpasswd one, give the same index digest, whose arm64 entry names variant v8")
  void releaseExample() throws Exception {
    String base = PLAIN.reference("base/temurin:17-jre");
    PushReport pushedBase =
        Pipeline.prepare(Environment.of(Map.of()))
            .image(
                TestImages.smallApp(Files.createTempDirectory("base-files"), "a JRE stand-in")
                    .setPlatforms(
                        new LinkedHashSet<>(
                            List.of(
                                new Platform("amd64", "linux"), new Platform("arm64", "linux")))))
            .tags("17-jre")
            .push(Target.to(PLAIN.reference("base/temurin")).allowPlainHttp())
            .run();
    assertEquals(1, pushedBase.withStatus(TargetStatus.PUSHED).size(), pushedBase.toString());

    List<String> digests = new ArrayList<>();
    for (LocalRegistryExtension registry : List.of(PLAIN, AUTH)) {
      SampleBuild sample =
          SampleBuild.ofExample("maven-plugin", "release-example-" + digests.size())
              .server(AUTH.host(), USER, ENCRYPTED)
              .env("CI_COMMIT_BRANCH", "main")
              .env("CI_COMMIT_SHA", "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d");
      SampleBuild.Result build =
          sample.run(
              "package",
              "fanout:push",
              "-Dlocal.registry=" + registry.host(),
              "-Dbase.image=" + base);

      assertEquals(0, build.exitCode(), build.seeLog());
      for (String reason :
          List.of(
              "DOCKERHUB_USERNAME and DOCKERHUB_TOKEN are not set",
              "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
              "GOOGLE_APPLICATION_CREDENTIALS is not set")) {
        assertTrue(build.log().contains(reason), reason + ": " + build.seeLog());
      }
      JsonNode targets = report(sample).get("targets");
      List<String> statuses = new ArrayList<>();
      targets.forEach(t -> statuses.add(t.get("name").asText() + " " + t.get("status").asText()));
      assertEquals(
          List.of("dockerhub SKIPPED", "ecr SKIPPED", "gar SKIPPED", "local PUSHED"), statuses);
      String digest = report(sample).get("digest").asText();
      assertEquals(
          digest,
          RegistryChecker.skopeoDigest(
              registry.reference("acme/fanout-hello:1.0.0"), registry.credentials()));
      digests.add(digest);
    }
    assertEquals(digests.get(0), digests.get(1), "two builds of the same commit");
    List<JsonNode> platforms = new ArrayList<>();
    skopeoRaw(PLAIN.reference("acme/fanout-hello:latest"))
        .get("manifests")
        .forEach(entry -> platforms.add(entry.get("platform")));
    assertEquals(
        JSON.readTree("{\"architecture\": \"arm64\", \"os\": \"linux\", \"variant\": \"v8\"}"),
        platforms.get(1));
    JsonNode config = skopeoConfig(PLAIN.reference("acme/fanout-hello:1.0.0")).get("config");
    assertEquals(
        List.of("java", "-cp", "/app/resources:/app/classes:/app/libs/*", "com.acme.hello.Main"),
        strings(config.get("Entrypoint")));
  }

  private static ServerSocket listening() throws IOException {
    return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = listening()) {
      return socket.getLocalPort();
    }
  }

  /** A connection made while the build ran waits in the backlog, so accept finds it at once. */
  private static void assertNoConnection(ServerSocket socket) throws IOException {
    socket.setSoTimeout(200);
    assertThrows(SocketTimeoutException.class, () -> socket.accept().close());
  }

  private static JsonNode report(SampleBuild sample) throws IOException {
    return report(sample.folder());
  }

  /** The JSON report of the module in a folder. */
  private static JsonNode report(Path module) throws IOException {
    return JSON.readTree(module.resolve("target/fanout/report.json").toFile());
  }

  private static Optional<String> manifest(
      String host, String repository, String tag, boolean authenticated) {
    return RegistryChecker.manifestDigest(
        host, repository, tag, authenticated ? AUTH.credentials() : Optional.empty());
  }

  private static JsonNode skopeoConfig(String reference) throws IOException, InterruptedException {
    return skopeoInspect("--config", reference);
  }

  /** The manifest or index as the registry stores it: {@code skopeo inspect --raw}. */
  private static JsonNode skopeoRaw(String reference) throws IOException, InterruptedException {
    return skopeoInspect("--raw", reference);
  }

  private static JsonNode skopeoInspect(String what, String reference)
      throws IOException, InterruptedException {
    Process skopeo =
        new ProcessBuilder(
                "skopeo",
                "inspect",
                what,
                "--tls-verify=false",
                "--no-creds",
                "docker://" + reference)
            .redirectErrorStream(true)
            .start();
    byte[] out = skopeo.getInputStream().readAllBytes();
    assertEquals(0, skopeo.waitFor(), new String(out, StandardCharsets.UTF_8));
    return JSON.readTree(out);
  }

  /**
   * Every file path in every layer of an image, read with raw GETs of its manifest and blobs; the
   * regular files are also written under {@code root}.
   */
  private static List<String> extractLayers(String host, String repository, String tag, Path root)
      throws IOException, InterruptedException {
    List<String> files = new ArrayList<>();
    for (String layer : layerDigests(manifestJson(host, repository, tag))) {
      byte[] blob = get("http://" + host + "/v2/" + repository + "/blobs/" + layer, "*/*");
      try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(blob));
          TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
        for (TarArchiveEntry entry = tar.getNextEntry();
            entry != null;
            entry = tar.getNextEntry()) {
          files.add(entry.getName());
          if (entry.isFile()) {
            Path file = root.resolve(entry.getName()).normalize();
            assertTrue(file.startsWith(root), entry.getName());
            Files.createDirectories(file.getParent());
            Files.copy(tar, file);
          }
        }
      }
    }
    return files;
  }

  /**
   * The layer digests of an image's manifest for a Linux architecture, as skopeo picks it out of an
   * index.
   */
  private static List<String> skopeoLayers(
      String reference, String architecture, Optional<BasicAuth> credentials) {
    String inspected = RegistryChecker.skopeoPlatform(reference, architecture, credentials);
    assertTrue(inspected.startsWith(architecture + " ["), inspected);
    String layers = inspected.substring(architecture.length() + 2, inspected.length() - 1);
    return List.of(layers.split(" "));
  }

  /** An image manifest of a registry without auth, read with a raw GET. */
  private static JsonNode manifestJson(String host, String repository, String tag)
      throws IOException, InterruptedException {
    return JSON.readTree(
        get(
            "http://" + host + "/v2/" + repository + "/manifests/" + tag,
            "application/vnd.docker.distribution.manifest.v2+json,"
                + "application/vnd.oci.image.manifest.v1+json"));
  }

  private static List<String> layerDigests(JsonNode manifest) {
    List<String> digests = new ArrayList<>();
    manifest.get("layers").forEach(layer -> digests.add(layer.get("digest").asText()));
    return digests;
  }

  /**
   * Runs the image's {@code java -cp ... Main} entrypoint with this JVM's {@code java}, the
   * classpath's absolute paths taken under {@code root}, and returns what it printed.
   */
  private static String runEntrypoint(List<String> entrypoint, Path root)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (int i = 1; i < entrypoint.size(); i++) {
      String argument = entrypoint.get(i);
      if (entrypoint.get(i - 1).equals("-cp")) {
        List<String> local = new ArrayList<>();
        for (String element : argument.split(":")) {
          local.add(root + element);
        }
        argument = String.join(File.pathSeparator, local);
      }
      command.add(argument);
    }
    Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, java.waitFor(), output);
    return output.strip();
  }

  private static byte[] get(String uri, String accept) throws IOException, InterruptedException {
    HttpResponse<byte[]> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(uri)).header("Accept", accept).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode(), uri);
    return response.body();
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }
}
