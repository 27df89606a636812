package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Environment;
import dev.fanout.testing.ConnectionCounter;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.RegistryChecker;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The fanout command line")
class FanoutCliTest {

  private static final String USER = "cli-bot";
  private static final String PASSWORD = "cli-test-password";

  @RegisterExtension
  static final LocalRegistryExtension FIRST = LocalRegistryExtension.withBasicAuth(USER, PASSWORD);

  @RegisterExtension
  static final LocalRegistryExtension SECOND = LocalRegistryExtension.withBasicAuth(USER, PASSWORD);

  private static final Environment CREDENTIALS =
      Environment.of(Map.of("FANOUT_USERNAME", USER, "FANOUT_PASSWORD", PASSWORD));

  @TempDir Path folder;
  private Path app;
  private Path data;

  @BeforeEach
  void directories() throws IOException {
    app = Files.createDirectories(folder.resolve("app"));
    Files.writeString(app.resolve("run.sh"), "#!/bin/sh\necho hello\n");
    data = Files.createDirectories(folder.resolve("data").resolve("nested"));
    Files.writeString(data.resolve("words.txt"), "one two three\n");
  }

  @Test
  @DisplayName("pushes one layer per directory to every reference, and both registries hold the digest it reports")
  void pushesEverywhere() throws Exception {
    CliRun run =
        CliRun.of(
            CREDENTIALS,
            "--plain-http",
            "--layer", app.toString(),
            "--layer", folder.resolve("data") + "=/srv/data",
            "--entrypoint", "/app/run.sh",
            FIRST.reference("cli/app:1.0"),
            SECOND.reference("cli/app:1.0"));

    assertEquals(FanoutCli.EXIT_PUSHED, run.status(), run.printed());
    String digest = run.digest();
    assertEquals(
        Optional.of(digest),
        RegistryChecker.manifestDigest(FIRST.host(), "cli/app", "1.0", FIRST.credentials()));
    assertEquals(
        Optional.of(digest),
        RegistryChecker.manifestDigest(SECOND.host(), "cli/app", "1.0", SECOND.credentials()));
    String manifest = manifest(FIRST.host(), "cli/app", "1.0");
    String layers = manifest.substring(manifest.indexOf("\"layers\""));
    assertEquals(2, Pattern.compile("\"digest\"").matcher(layers).results().count(), manifest);
  }

  @Test
  @DisplayName(
      "gives the same digest for the same directories on a later run, creation time being fixed:"
          + " the registry serves both tags with one digest")
  void reproducible() throws Exception {
    CliRun first = CliRun.of(CREDENTIALS, "--plain-http", "--layer", app.toString(), FIRST.reference("cli/same:a"));
    Files.setLastModifiedTime(app.resolve("run.sh"), FileTime.fromMillis(1_000_000));
    CliRun second = CliRun.of(CREDENTIALS, "--plain-http", "--layer", app.toString(), FIRST.reference("cli/same:b"));

    assertEquals(FanoutCli.EXIT_PUSHED, first.status(), first.printed());
    assertEquals(FanoutCli.EXIT_PUSHED, second.status(), second.printed());
    Optional<String> a =
        RegistryChecker.manifestDigest(FIRST.host(), "cli/same", "a", FIRST.credentials());
    Optional<String> b =
        RegistryChecker.manifestDigest(FIRST.host(), "cli/same", "b", FIRST.credentials());
    assertEquals(Optional.of(first.digest()), a, "raw GET of cli/same:a");
    assertEquals(a, b, "the registry holds two images for one set of directories");
    assertEquals(
        a.orElseThrow(),
        RegistryChecker.skopeoDigest(FIRST.reference("cli/same:b"), FIRST.credentials()));
  }

  @Test
  @DisplayName("exits 1 with a FAILED row and no password in the output when the registry refuses the credentials")
  void failure() {
    Environment wrong =
        Environment.of(Map.of("FANOUT_USERNAME", USER, "FANOUT_PASSWORD", "not-the-password-42"));
    CliRun run = CliRun.of(wrong, "--plain-http", "--layer", app.toString(), FIRST.reference("cli/refused:1"));

    assertEquals(FanoutCli.EXIT_FAILED, run.status(), run.printed());
    assertTrue(run.printed().contains("FAILED"), run.printed());
    assertFalse(run.printed().contains("not-the-password-42"), "the password was printed");
  }

  @Test
  @DisplayName("refuses --from beside --layer, and a --from it cannot read, both at once")
  void fromProblems() {
    CliRun run =
        CliRun.of(CREDENTIALS, "--from", "tarball:x.tar", "--layer", app.toString(), "127.0.0.1:1/a/b");

    assertEquals(FanoutCli.EXIT_USAGE, run.status(), run.printed());
    assertTrue(
        run.printed().contains("is not oci:PATH, docker-archive:PATH or docker://REFERENCE"),
        run.printed());
    assertTrue(run.printed().contains("drop --layer"), run.printed());
  }

  @Test
  @DisplayName("exits 2 and names every problem at once: a missing directory, an unknown option, no reference")
  void usage() {
    CliRun run =
        CliRun.of(CREDENTIALS, "--plain-http", "--layer", folder.resolve("absent").toString(), "--colour");

    assertEquals(FanoutCli.EXIT_USAGE, run.status());
    assertTrue(run.printed().contains("is not a directory"), run.printed());
    assertTrue(run.printed().contains("Unknown option: '--colour'"), run.printed());
    assertTrue(run.printed().contains("no REFERENCE or --to given"), run.printed());
    assertTrue(run.printed().contains("Usage: fanout push"), run.printed());
  }

  @Test
  @DisplayName("takes --tag=TAG as --tag TAG, and pushes every tag given")
  void tagWithEquals() throws Exception {
    CliRun run =
        CliRun.of(
            CREDENTIALS,
            "push",
            "--plain-http",
            "--layer=" + app,
            "--tag=one",
            "--tag",
            "two",
            FIRST.reference("cli/tags"));

    assertEquals(FanoutCli.EXIT_PUSHED, run.status(), run.printed());
    for (String tag : List.of("one", "two")) {
      assertEquals(
          Optional.of(run.digest()),
          RegistryChecker.manifestDigest(FIRST.host(), "cli/tags", tag, FIRST.credentials()),
          tag);
    }
  }

  @Test
  @DisplayName("writes the JSON report to the --report file, with the digest the registry holds")
  void jsonReport() throws Exception {
    Path report = folder.resolve("reports").resolve("fanout.json");
    CliRun run =
        CliRun.of(
            CREDENTIALS,
            "push",
            "--plain-http",
            "--report",
            report.toString(),
            "--layer",
            app.toString(),
            FIRST.reference("cli/report:1"));

    assertEquals(FanoutCli.EXIT_PUSHED, run.status(), run.printed());
    String json = Files.readString(report);
    String held =
        RegistryChecker.manifestDigest(FIRST.host(), "cli/report", "1", FIRST.credentials())
            .orElseThrow();
    assertTrue(json.contains("\"succeeded\": true"), json);
    assertTrue(json.contains("\"digest\": \"" + held + "\""), json);
  }

  @Test
  @DisplayName("plan prints every target with the backend that serves it, Docker Hub, ECR and Artifact Registry included, and opens no connection")
  void plan() throws Exception {
    try (ConnectionCounter registry = new ConnectionCounter()) {
      CliRun run =
          CliRun.of(
              CREDENTIALS,
              "plan",
              "--tag",
              "1.0",
              "--layer",
              app.toString(),
              registry.host() + "/cli/planned",
              "docker.io/acme/app",
              "123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/app",
              "europe-docker.pkg.dev/acme-project/images/app");

      assertEquals(FanoutCli.EXIT_PUSHED, run.status(), run.printed());
      assertEquals(0, registry.connections(), "plan connected to the registry");
      for (String expected :
          List.of(registry.host() + "/cli/planned", "dockerhub", "ecr", "gar", "1.0")) {
        assertTrue(run.printed().contains(expected), expected + " in\n" + run.printed());
      }
    }
  }

  @Test
  @DisplayName("plan exits 2 and names the problem of a plan that cannot run")
  void planWithProblem() {
    CliRun run = CliRun.of(CREDENTIALS, "plan", "--layer", app.toString(), "127.0.0.1:1/UPPER/case");

    assertEquals(FanoutCli.EXIT_USAGE, run.status(), run.printed());
    assertTrue(run.printed().contains("problem: "), run.printed());
    assertTrue(run.printed().contains("UPPER/case"), run.printed());
  }

  @Test
  @DisplayName("--version prints the build's version and exits 0")
  void version() throws IOException {
    Properties built = new Properties();
    try (InputStream in = FanoutVersion.class.getResourceAsStream(FanoutVersion.RESOURCE)) {
      built.load(in);
    }
    CliRun run = CliRun.of(CREDENTIALS, "--version");

    assertEquals(FanoutCli.EXIT_PUSHED, run.status(), run.printed());
    assertTrue(built.getProperty("version").matches("\\d+\\.\\d+\\.\\d+.*"), built.toString());
    assertTrue(
        run.printed().startsWith("fanout " + built.getProperty("version") + "\n"), run.printed());
  }

  @Test
  @DisplayName("the version subcommand prints what --version prints")
  void versionSubcommand() {
    CliRun subcommand = CliRun.of(CREDENTIALS, "version");
    CliRun option = CliRun.of(CREDENTIALS, "--version");

    assertEquals(FanoutCli.EXIT_PUSHED, subcommand.status(), subcommand.printed());
    assertTrue(subcommand.printed().startsWith("fanout "), subcommand.printed());
    assertEquals(option.printed(), subcommand.printed());
  }

  @Test
  @DisplayName(
      "generate-completion prints a bash completion script that completes the subcommands and"
          + " push's options")
  void completion() {
    CliRun run = CliRun.of(CREDENTIALS, "generate-completion");

    assertEquals(FanoutCli.EXIT_PUSHED, run.status(), run.printed());
    assertTrue(run.printed().contains("complete -F"), run.printed());
    for (String word : List.of("push", "plan", "version", "--config", "--layer", "--report")) {
      assertTrue(run.printed().contains(word), word + " in the completion script");
    }
  }

  @Test
  @DisplayName("--help names the subcommands, and push --help its options, and both exit 0")
  void help() {
    CliRun top = CliRun.of(CREDENTIALS, "--help");
    CliRun push = CliRun.of(CREDENTIALS, "push", "--help");

    assertEquals(FanoutCli.EXIT_PUSHED, top.status(), top.printed());
    assertTrue(top.printed().contains("push") && top.printed().contains("plan"), top.printed());
    assertEquals(FanoutCli.EXIT_PUSHED, push.status(), push.printed());
    for (String option : List.of("--layer", "--tag", "--report", "--plain-http", "REFERENCE")) {
      assertTrue(push.printed().contains(option), option + " in\n" + push.printed());
    }
  }

  @Test
  @DisplayName(
      "makes each subcommand by the name its own help gives it, and --help lists them in that"
          + " order")
  void subcommandNames() {
    CliRun top = CliRun.of(CREDENTIALS, "--help");
    int listed = -1;
    for (String name : FanoutCli.subcommandNames()) {
      CliRun help = CliRun.of(CREDENTIALS, name, "--help");

      assertEquals(FanoutCli.EXIT_PUSHED, help.status(), help.printed());
      assertTrue(help.printed().startsWith("Usage: fanout " + name + " "), help.printed());
      int at = top.printed().indexOf("\n  " + name + " ");
      assertTrue(at > listed, name + " listed after the one before it in\n" + top.printed());
      listed = at;
    }
  }

  @Test
  @DisplayName(
      "exits 2 before any network I/O for a plan problem, an invalid reference: the valid target's"
          + " registry is never connected to")
  void planProblem() throws Exception {
    try (ConnectionCounter registry = new ConnectionCounter()) {
      CliRun run =
          CliRun.of(
              CREDENTIALS,
              "--plain-http",
              "--layer",
              app.toString(),
              registry.host() + "/cli/valid:1",
              registry.host() + "/UPPER/case:1");

      assertEquals(FanoutCli.EXIT_USAGE, run.status(), run.printed());
      assertTrue(run.printed().contains("UPPER/case"), run.printed());
      assertEquals(0, registry.connections(), "the run connected to the registry");
    }
  }

  private static String manifest(String host, String repository, String tag) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + host + "/v2/" + repository + "/manifests/" + tag))
            .header("Accept", "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json")
            .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
            .build();
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return response.body().replace(" ", "");
  }
}
