package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Environment;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.RegistryChecker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code fanout push} as a GitHub Actions step: what action.yml's outputs are made from. */
@DisplayName("fanout push in a GitHub Actions step")
class PushInGitHubActionsTest {

  private static final String USER = "actions-bot";
  private static final String PASSWORD = "actions-step-password";

  @RegisterExtension
  static final LocalRegistryExtension REGISTRY =
      LocalRegistryExtension.withBasicAuth(USER, PASSWORD);

  @TempDir Path folder;

  @Test
  @DisplayName(
      "masks the password before anything else, and writes digest, images and pushed-<target> to"
          + " GITHUB_OUTPUT and the report to GITHUB_STEP_SUMMARY")
  void writesStepOutputs() throws Exception {
    Path app = Files.createDirectories(folder.resolve("app"));
    Files.writeString(app.resolve("hello.txt"), "hello\n");
    Path output = folder.resolve("output");
    Path summary = folder.resolve("summary.md");
    Environment environment =
        Environment.of(
            Map.of(
                "GITHUB_ACTIONS",
                "true",
                "GITHUB_OUTPUT",
                output.toString(),
                "GITHUB_STEP_SUMMARY",
                summary.toString(),
                "FANOUT_USERNAME",
                USER,
                "FANOUT_PASSWORD",
                PASSWORD));
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    int status =
        FanoutCli.run(
            List.of(
                "push", "--plain-http", "--layer", app.toString(), REGISTRY.reference("gha/app:1")),
            environment,
            new PrintStream(stdout, true, StandardCharsets.UTF_8),
            new PrintStream(stderr, true, StandardCharsets.UTF_8));

    String log = stdout.toString(StandardCharsets.UTF_8);
    assertEquals(FanoutCli.EXIT_PUSHED, status, log + stderr);
    assertTrue(log.startsWith("::add-mask::" + PASSWORD + "\n"), log);
    String digest =
        RegistryChecker.skopeoDigest(REGISTRY.reference("gha/app:1"), REGISTRY.credentials());
    List<String> outputs = Files.readAllLines(output);
    String name = REGISTRY.host().replaceAll("[^a-z0-9_-]+", "-") + "-gha-app";
    assertTrue(outputs.contains("enabled-" + name + "=true"), outputs.toString());
    assertTrue(outputs.contains("pushed-" + name + "=true"), outputs.toString());
    assertTrue(outputs.contains("digest=" + digest), outputs.toString());
    assertTrue(outputs.contains(REGISTRY.reference("gha/app:1")), outputs.toString());
    assertTrue(Files.readString(summary).contains(digest));
    assertFalse(
        log.replace("::add-mask::" + PASSWORD + "\n", "").contains(PASSWORD)
            || stderr.toString(StandardCharsets.UTF_8).contains(PASSWORD)
            || String.join("\n", outputs).contains(PASSWORD),
        "the password was printed");
  }
}
