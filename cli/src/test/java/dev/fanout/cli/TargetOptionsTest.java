package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Environment;
import dev.fanout.testing.ConnectionCounter;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.RegistryChecker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@DisplayName(
    "The command line's targets with options of their own (--to, --when-env, --optional),"
        + " --tag-rule, --platform and --base")
class TargetOptionsTest {

  @RegisterExtension static final LocalRegistryExtension REGISTRY = LocalRegistryExtension.plain();

  /** A registry the run has no credential for: its target fails at once (401, not retried). */
  @RegisterExtension
  static final LocalRegistryExtension LOCKED =
      LocalRegistryExtension.withBasicAuth("owner", "owner-password");

  /** A commit on main in GitLab CI, where sha() gives sha-1a2b3c4; GATE_* are not set. */
  private static final Environment ON_MAIN =
      Environment.of(
          Map.of(
              "GITLAB_CI", "true",
              "CI_COMMIT_BRANCH", "main",
              "CI_COMMIT_SHA", "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"));

  @TempDir Path folder;
  private Path app;

  @BeforeEach
  void directory() throws IOException {
    app = Files.createDirectories(folder.resolve("app"));
    Files.writeString(app.resolve("run.sh"), "#!/bin/sh\necho hello\n");
  }

  @Test
  @DisplayName(
      "plan skips a --to whose --when-env variables are unset, saying which, marks --optional, and"
          + " gives every target the --tag and --tag-rule tags, with no connection opened")
  void plan() throws Exception {
    try (ConnectionCounter registry = new ConnectionCounter()) {
      CliRun run =
          CliRun.of(
              ON_MAIN,
              "plan",
              "--plain-http",
              "--layer", app.toString(),
              "--tag", "edge",
              "--tag-rule", "sha",
              "--to", registry.host() + "/cli/gated", "--when-env", "GATE_USER,GATE_TOKEN",
              "--to", registry.host() + "/cli/mirror", "--optional");

      assertEquals(FanoutCli.EXIT_PUSHED, run.status(), run.printed());
      assertTrue(run.printed().contains("GATE_USER and GATE_TOKEN are not set"), run.printed());
      for (String tag : List.of("edge", "sha-1a2b3c4")) {
        assertTrue(run.printed().contains(tag), tag + " in\n" + run.printed());
      }
      assertTrue(run.printed().contains("push (optional)"), run.printed());
      assertEquals(0, registry.connections(), "plan connected to the registry");
    }
  }

  @Test
  @DisplayName(
      "push exits 0 when only an --optional target failed, and the other target's registry serves"
          + " the image")
  void optionalFailure() throws Exception {
    CliRun run =
        CliRun.of(
            ON_MAIN,
            "push",
            "--plain-http",
            "--layer", app.toString(),
            "--tag-rule", "branch",
            "--to", REGISTRY.reference("cli/required"),
            "--to", LOCKED.reference("cli/mirror"), "--optional");

    assertEquals(FanoutCli.EXIT_PUSHED, run.status(), run.printed());
    assertTrue(run.printed().contains("FAILED"), run.printed());
    assertEquals(
        Optional.of(run.digest()),
        RegistryChecker.manifestDigest(REGISTRY.host(), "cli/required", "main", Optional.empty()));
    assertEquals(
        Optional.empty(),
        RegistryChecker.manifestDigest(
            LOCKED.host(), "cli/mirror", "main", LOCKED.credentials()));
  }

  @Test
  @DisplayName(
      "--platform twice builds one image index whose arm64 entry carries its variant, as a raw GET"
          + " of the index shows")
  void platforms() throws Exception {
    CliRun run =
        CliRun.of(
            ON_MAIN,
            "push",
            "--plain-http",
            "--layer", app.toString(),
            "--platform", "linux/amd64",
            "--platform", "linux/arm64/v8",
            "--to", REGISTRY.reference("cli/multi:1"));

    assertEquals(FanoutCli.EXIT_PUSHED, run.status(), run.printed());
    HttpResponse<String> index =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://" + REGISTRY.host() + "/v2/cli/multi/manifests/1"))
                    .header(
                        "Accept",
                        "application/vnd.oci.image.index.v1+json,"
                            + "application/vnd.docker.distribution.manifest.list.v2+json")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, index.statusCode(), index.body());
    assertEquals(
        Optional.of(run.digest()), index.headers().firstValue("Docker-Content-Digest"));
    String compact = index.body().replaceAll("\\s", "");
    assertTrue(compact.contains("\"architecture\":\"amd64\""), index.body());
    assertTrue(compact.contains("\"architecture\":\"arm64\""), index.body());
    assertTrue(compact.contains("\"variant\":\"v8\""), index.body());
  }

  @Test
  @DisplayName(
      "--jar on a --base puts the jar in /app in a layer on the base's, with java -jar as the"
          + " entrypoint, as the pushed config says")
  void jar() throws Exception {
    CliRun base =
        CliRun.of(
            ON_MAIN,
            "push",
            "--plain-http",
            "--layer", app.toString(),
            "--to", REGISTRY.reference("cli/base:1"));
    assertEquals(FanoutCli.EXIT_PUSHED, base.status(), base.printed());
    Path jar = Files.write(folder.resolve("hello.jar"), new byte[] {'P', 'K', 3, 4});

    CliRun run =
        CliRun.of(
            ON_MAIN,
            "push",
            "--plain-http",
            "--base", REGISTRY.reference("cli/base:1"),
            "--jar", jar.toString(),
            "--to", REGISTRY.reference("cli/jarred:1"));

    assertEquals(FanoutCli.EXIT_PUSHED, run.status(), run.printed());
    String manifest = get("/v2/cli/jarred/manifests/1", "application/vnd.docker.distribution.manifest.v2+json,application/vnd.oci.image.manifest.v1+json");
    Matcher config = Pattern.compile("\"config\"\\s*:\\s*\\{[^}]*\"digest\"\\s*:\\s*\"(sha256:[0-9a-f]{64})\"").matcher(manifest);
    assertTrue(config.find(), manifest);
    String configJson = get("/v2/cli/jarred/blobs/" + config.group(1), "*/*").replaceAll("\\s", "");
    assertTrue(
        configJson.contains("\"Entrypoint\":[\"java\",\"-jar\",\"/app/hello.jar\"]"),
        configJson);
    assertEquals(
        2, configJson.split("\"sha256:", -1).length - 1, "the base's layer and the jar's: " + configJson);
  }

  @Test
  @DisplayName("--jar without --base is a usage problem: nothing in the image could run it")
  void jarNeedsBase() throws Exception {
    Path jar = Files.write(folder.resolve("hello.jar"), new byte[] {'P', 'K', 3, 4});

    CliRun run =
        CliRun.of(ON_MAIN, "plan", "--jar", jar.toString(), "--to", REGISTRY.reference("cli/x"));

    assertEquals(FanoutCli.EXIT_USAGE, run.status(), run.printed());
    assertTrue(run.printed().contains("--jar needs --base"), run.printed());
  }

  private static String get(String path, String accept) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + REGISTRY.host() + path))
                    .header("Accept", accept)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    return response.body();
  }

  @Test
  @DisplayName(
      "names every bad --to, --when-env, --tag-rule, --platform and --base at once, and exits 2")
  void problems() throws Exception {
    try (ConnectionCounter registry = new ConnectionCounter()) {
      CliRun run =
          CliRun.of(
              ON_MAIN,
              "push",
              "--plain-http",
              "--layer", app.toString(),
              "--base", "Not A/Reference",
              "--platform", "linux",
              "--tag-rule", "nightly",
              "--to", registry.host() + "/UPPER/case",
              "--to", registry.host() + "/cli/fine", "--when-env", "9LIVES");

      assertEquals(FanoutCli.EXIT_USAGE, run.status(), run.printed());
      for (String problem :
          List.of(
              "--base 'Not A/Reference'",
              "--platform 'linux' is not a platform",
              "--tag-rule nightly",
              "--to '",
              "'9LIVES'")) {
        assertTrue(run.printed().contains(problem), problem + " in\n" + run.printed());
      }
      assertEquals(0, registry.connections(), "the run connected to the registry");
    }
  }
}
