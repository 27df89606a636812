package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Environment;
import dev.fanout.testing.ConnectionCounter;
import dev.fanout.testkit.BasicAuth;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.OciLayouts;
import dev.fanout.testkit.RegistryChecker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("fanout push and plan with --config fanout.yml")
class ConfigFileTest {

  private static final String USER = "config-bot";
  private static final String PASSWORD = "config-test-password";
  private static final Optional<BasicAuth> CREDENTIALS = Optional.of(new BasicAuth(USER, PASSWORD));

  @RegisterExtension static final LocalRegistryExtension PLAIN = LocalRegistryExtension.plain();

  @RegisterExtension
  static final LocalRegistryExtension BASIC = LocalRegistryExtension.withBasicAuth(USER, PASSWORD);

  @RegisterExtension
  static final TokenRegistryExtension TOKEN = new TokenRegistryExtension(USER, PASSWORD);

  /** The variables GitHub Actions sets for a push of the tag v2.1.0. */
  private static final Map<String, String> ON_VERSION_TAG =
      Map.of(
          "GITHUB_ACTIONS", "true",
          "GITHUB_EVENT_NAME", "push",
          "GITHUB_REF_TYPE", "tag",
          "GITHUB_REF_NAME", "v2.1.0",
          "GITHUB_REF", "refs/tags/v2.1.0",
          "GITHUB_SHA", "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d");

  @TempDir Path folder;

  @BeforeEach
  void app() throws IOException {
    Path app = Files.createDirectories(folder.resolve("app"));
    Files.writeString(app.resolve("run.sh"), "#!/bin/sh\necho hello\n");
  }

  @Test
  @DisplayName(
      "pushes to a plain, a Basic-auth and a token-auth registry with the credentials the file"
          + " names, tags each as the file says, skips the target whose variable is unset without"
          + " connecting to it, and skopeo finds the reported digest everywhere")
  void pushes() throws Exception {
    try (ConnectionCounter skipped = new ConnectionCounter()) {
      Path config =
          write(
              """
              image:
                layers:
                  - directory: app
                entrypoint: [/app/run.sh]
              tags: ['1.0']
              targets:
                - name: plain
                  to: %s/config/app
                  plainHttp: true
                - name: basic
                  to: %s/config/app
                  when: {credentialPresent: [BASIC_USER, BASIC_PASSWORD]}
                  credentials: {username: BASIC_USER, password: BASIC_PASSWORD}
                  tags: ['1.0', stable]
                  plainHttp: true
                - name: token
                  to: %s/config/app
                  when:
                    credentialPresent: TOKEN_PASSWORD
                    semverTag: true
                  credentials: {username: TOKEN_USER, password: TOKEN_PASSWORD}
                  tagRules: [semver]
                  plainHttp: true
                - name: absent
                  to: %s/config/app
                  when: {credentialPresent: ABSENT_TOKEN}
                  plainHttp: true
              retry: {maxAttempts: 3, initialBackoff: 100ms, maxBackoff: 1s}
              """
                  .formatted(PLAIN.host(), BASIC.host(), TOKEN.host(), skipped.host()));
      Map<String, String> variables = new HashMap<>(ON_VERSION_TAG);
      variables.putAll(
          Map.of(
              "BASIC_USER", USER,
              "BASIC_PASSWORD", PASSWORD,
              "TOKEN_USER", USER,
              "TOKEN_PASSWORD", PASSWORD));

      CliRun run = CliRun.of(Environment.of(variables), "push", "--config", config.toString());

      assertEquals(FanoutCli.EXIT_PUSHED, run.status(), run.printed());
      String digest = run.digest();
      assertEquals(
          digest,
          RegistryChecker.skopeoDigest(PLAIN.reference("config/app:1.0"), Optional.empty()));
      for (String tag : List.of("1.0", "stable")) {
        assertEquals(
            digest,
            RegistryChecker.skopeoDigest(BASIC.reference("config/app:" + tag), CREDENTIALS));
      }
      for (String tag : List.of("2.1.0", "2.1", "2", "latest")) {
        assertEquals(
            digest,
            RegistryChecker.skopeoDigest(TOKEN.reference("config/app:" + tag), CREDENTIALS));
      }
      assertTrue(run.printed().contains("ABSENT_TOKEN is not set"), run.printed());
      assertEquals(0, skipped.connections(), "the skipped target was connected to");
      // In GitHub Actions the password is handed to the runner to mask, and printed nowhere else.
      for (String line : run.printed().split("\n")) {
        assertTrue(
            !line.contains(PASSWORD) || line.equals("::add-mask::" + PASSWORD),
            "the password was printed outside its ::add-mask:: line");
      }
      assertTrue(
          run.printed().contains("::add-mask::" + PASSWORD), "the password was not masked first");
    }
  }

  @Test
  @DisplayName(
      "builds on a base image from a loopback registry and pushes to a token-auth registry with"
          + " the credential the file names; the pushed image holds the base's layers and the new"
          + " one")
  void buildsOnBase() throws Exception {
    OciLayouts.Layout base = OciLayouts.singleManifest(folder.resolve("base"));
    CliRun baseline =
        CliRun.of(
            Environment.of(Map.of()),
            "push",
            "--plain-http",
            "--from",
            "oci:" + base.path(),
            PLAIN.reference("config/base:1"));
    assertEquals(FanoutCli.EXIT_PUSHED, baseline.status(), baseline.printed());
    Path config =
        write(
            """
            image:
              base: %s
              layers: [{directory: app, path: /srv/app}]
            targets:
              - to: %s
                credentials: {username: TOKEN_USER, password: TOKEN_PASSWORD}
                plainHttp: true
            """
                .formatted(PLAIN.reference("config/base:1"), TOKEN.reference("config/on-base:1")));

    CliRun run =
        CliRun.of(
            Environment.of(Map.of("TOKEN_USER", USER, "TOKEN_PASSWORD", PASSWORD)),
            "push",
            "--config",
            config.toString());

    assertEquals(FanoutCli.EXIT_PUSHED, run.status(), run.printed());
    assertEquals(
        run.digest(),
        RegistryChecker.skopeoDigest(TOKEN.reference("config/on-base:1"), CREDENTIALS));
    String built =
        RegistryChecker.skopeoPlatform(TOKEN.reference("config/on-base:1"), "amd64", CREDENTIALS);
    String original =
        RegistryChecker.skopeoPlatform(PLAIN.reference("config/base:1"), "amd64", Optional.empty());
    assertEquals(layerCount(original) + 1, layerCount(built), built);
  }

  /** How many layers skopeo's "ARCH [sha256:... sha256:...]" names. */
  private static long layerCount(String skopeo) {
    return Pattern.compile("sha256:").matcher(skopeo).results().count();
  }

  @Test
  @DisplayName(
      "exits 0 when only an optional target fails, reporting it FAILED, and 0 when every target"
          + " is skipped")
  void optionalAndSkipped() throws Exception {
    try (ConnectionCounter broken = new ConnectionCounter()) {
      Path config =
          write(
              """
              image:
                layers: [{directory: app}]
              targets:
                - to: %s/config/required
                  plainHttp: true
                - to: %s/config/mirror
                  plainHttp: true
                  optional: true
                - to: %s/config/never
                  when: {credentialPresent: ABSENT_TOKEN}
              retry: {maxAttempts: 1}
              """
                  .formatted(PLAIN.host(), broken.host(), broken.host()));
      Path skippedOnly = folder.resolve("skipped.yml");
      Files.writeString(
          skippedOnly,
          """
          image:
            layers: [{directory: app}]
          targets:
            - to: 127.0.0.1:1/config/never
              when: {credentialPresent: ABSENT_TOKEN}
          """);

      CliRun run = CliRun.of(Environment.of(Map.of()), "push", "--config", config.toString());
      CliRun skipped =
          CliRun.of(Environment.of(Map.of()), "push", "--config", skippedOnly.toString());

      assertEquals(FanoutCli.EXIT_PUSHED, run.status(), run.printed());
      assertTrue(row(run, broken.host() + "/config/mirror").contains("FAILED"), run.printed());
      assertEquals(
          run.digest(),
          RegistryChecker.skopeoDigest(
              PLAIN.reference("config/required:latest"), Optional.empty()));
      assertEquals(FanoutCli.EXIT_PUSHED, skipped.status(), skipped.printed());
      assertTrue(row(skipped, "config/never").contains("SKIPPED"), skipped.printed());
    }
  }

  @Test
  @DisplayName(
      "refuses a bad config with every problem and its line and column, exits 2 and sends"
          + " nothing to the source or the targets")
  void badConfigSendsNothing() throws Exception {
    try (ConnectionCounter registry = new ConnectionCounter()) {
      Path config =
          write(
              """
              image:
                from: docker://%1$s/source/app:1
                plainHttp: yes
              targets:
                - to: %1$s/acme/app
                  optional: maybe
                  when: {credentialPresent: [OK_VARIABLE], brnch: main}
                - to: %1$s/acme/other
                  plainHttp: true
              retry: {maxAttempts: 3, maxBackof: 2s}
              """
                  .formatted(registry.host()));

      CliRun push =
          CliRun.of(
              Environment.of(Map.of("OK_VARIABLE", "x")), "push", "--config", config.toString());

      assertEquals(FanoutCli.EXIT_USAGE, push.status(), push.printed());
      for (String expected :
          List.of(
              config + ":3:14: image.plainHttp: expected true or false, found the boolean yes",
              config + ":6:15: targets[0].optional: expected true or false, found text",
              config + ":7:46: targets[0].when: unknown key 'brnch'",
              config + ":10:25: retry: unknown key 'maxBackof'",
              "4 problems in the config file; nothing was sent")) {
        assertTrue(push.printed().contains(expected), expected + " in\n" + push.printed());
      }
      assertEquals(0, registry.connections(), "a bad config opened a connection");
    }
  }

  @Test
  @DisplayName(
      "plan --config shows every target of the file and opens no connection to the source or the"
          + " targets")
  void planOpensNoConnection() throws Exception {
    try (ConnectionCounter registry = new ConnectionCounter()) {
      Path config =
          write(
              """
              image:
                from: docker://%1$s/source/app:1
                plainHttp: true
              tags: ['1.0']
              targets:
                - {name: first, to: %1$s/acme/first, plainHttp: true}
                - {name: second, to: %1$s/acme/second, plainHttp: true, tagRules: [sha]}
              """
                  .formatted(registry.host()));

      CliRun plan =
          CliRun.of(Environment.of(ON_VERSION_TAG), "plan", "--config", config.toString());

      assertEquals(FanoutCli.EXIT_PUSHED, plan.status(), plan.printed());
      assertTrue(plan.printed().contains(registry.host() + "/acme/first"), plan.printed());
      assertTrue(plan.printed().contains("sha-1a2b3c4"), plan.printed());
      assertEquals(0, registry.connections(), "plan opened a connection");
    }
  }

  @Test
  @DisplayName(
      "plans the example release on a version tag: Docker Hub pushed with the release's tags, ECR"
          + " (not on main) and the pull-request registry skipped, the mirror skipped for its"
          + " missing variable;"
          + " --from replaces the file's image")
  void exampleRelease() {
    OciLayouts.Layout layout = OciLayouts.singleManifest(folder.resolve("layout"));
    Map<String, String> variables = new HashMap<>(ON_VERSION_TAG);
    variables.put("DOCKERHUB_USERNAME", "acme");
    variables.put("DOCKERHUB_TOKEN", "not-a-real-token");
    variables.put("AWS_ACCESS_KEY_ID", "AKIAFANOUTEXAMPLE0001");
    variables.put("AWS_SECRET_ACCESS_KEY", "not-a-real-key");

    CliRun plan =
        CliRun.of(
            Environment.of(variables),
            "plan",
            "--config",
            Path.of("..", "examples", "fanout.yml").toString(),
            "--from",
            "oci:" + layout.path());

    assertEquals(FanoutCli.EXIT_PUSHED, plan.status(), plan.printed());
    assertTrue(plan.printed().contains("OCI layout " + layout.path()), plan.printed());
    assertTrue(
        row(plan, "docker.io/acme/fanout-hello")
            .matches(".*dockerhub +2\\.1\\.0,2\\.1,2,latest +push .*"),
        plan.printed());
    assertTrue(row(plan, "dkr.ecr").contains("not on branch main"), plan.printed());
    assertTrue(
        row(plan, "pkg.dev").contains("GOOGLE_APPLICATION_CREDENTIALS is not set"), plan.printed());
    assertTrue(row(plan, "localhost:5000").contains("not on a pull request"), plan.printed());
  }

  @Test
  @DisplayName(
      "combines the command line with the file: --tag replaces the file's tags but not a"
          + " target's own, a REFERENCE is one more target, --layer replaces the image")
  void flagsCombine() throws IOException {
    Path config =
        write(
            """
            image:
              from: oci:nowhere
            tags: [from-file]
            targets:
              - to: 127.0.0.1:5000/acme/shared
              - to: 127.0.0.1:5000/acme/own
                tags: [own]
            """);

    CliRun plan =
        CliRun.of(
            Environment.of(Map.of()),
            "plan",
            "--config",
            config.toString(),
            "--tag",
            "from-flag",
            "--layer",
            folder.resolve("app").toString(),
            "127.0.0.1:5000/acme/added");

    assertEquals(FanoutCli.EXIT_PUSHED, plan.status(), plan.printed());
    assertTrue(
        plan.printed().startsWith("Plan: build once from Jib container builder"), plan.printed());
    assertTrue(row(plan, "acme/shared").contains(" from-flag "), plan.printed());
    assertTrue(row(plan, "acme/own").contains(" own "), plan.printed());
    assertTrue(row(plan, "acme/added").contains(" from-flag "), plan.printed());
    assertFalse(plan.printed().contains("from-file"), plan.printed());
  }

  /** The plan's row of the target whose reference contains {@code part}. */
  private static String row(CliRun plan, String part) {
    return plan.printed()
        .lines()
        .filter(line -> line.contains(part))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row for " + part + " in\n" + plan.printed()));
  }

  private Path write(String yaml) throws IOException {
    Path file = folder.resolve("fanout.yml");
    Files.writeString(file, yaml);
    return file;
  }
}
