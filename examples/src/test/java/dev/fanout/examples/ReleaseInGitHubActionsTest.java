package dev.fanout.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.Environment;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.RegistryChecker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example release as a GitHub Actions step ({@code GITHUB_ACTIONS=true}), with {@code
 * GITHUB_OUTPUT} and {@code GITHUB_STEP_SUMMARY} in a temporary folder. Local registries stand in
 * for Docker Hub and ECR; ECR's API is a loopback stand-in driven by the real AWS SDK, so the ECR
 * password is a token that only exists once Fanout has asked for it.
 */
@DisplayName("The example release in GitHub Actions")
class ReleaseInGitHubActionsTest {

  private static final String SHA = "5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f";
  private static final String ECR =
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/fanout-hello";
  private static final String REPOSITORY = "acme/fanout-hello";
  private static final String ECR_PASSWORD = "ecr-token-password-0b7e5d";
  private static final String HUB_TOKEN = "dckr_pat_example-5c1a9e";
  private static final String REGISTRY_PASSWORD = "registry-password-4d2f8a";

  @RegisterExtension
  static final LocalRegistryExtension HUB = LocalRegistryExtension.withBasicAuth("acme", HUB_TOKEN);

  @RegisterExtension
  static final LocalRegistryExtension ECR_REGISTRY =
      LocalRegistryExtension.withBasicAuth("AWS", ECR_PASSWORD);

  @RegisterExtension
  static final LocalRegistryExtension REGISTRY =
      LocalRegistryExtension.withBasicAuth("release-bot", REGISTRY_PASSWORD);

  @TempDir Path folder;

  private EcrStandIn ecrApi;
  private Path output;
  private Path summary;
  private Path report;

  @BeforeEach
  void startEcrApi() throws Exception {
    ecrApi = EcrStandIn.start(ECR_PASSWORD, ECR_REGISTRY.host());
    output = folder.resolve("github-output");
    summary = folder.resolve("step-summary.md");
    report = folder.resolve("report/fanout.json");
  }

  @AfterEach
  void stopEcrApi() {
    ecrApi.close();
  }

  @Test
  @DisplayName(
      "on main: pushes sha and main to ECR, masks each secret before it could be printed, and fills"
          + " the outputs and the summary")
  void mainBranch() throws Exception {
    Run run = release(ref("branch", "main"));

    assertEquals(0, run.status(), run.console());
    List<String> outputs = Files.readAllLines(output);
    assertTrue(
        outputs.containsAll(
            List.of(
                "enabled-dockerhub=false",
                "enabled-ecr=true",
                "enabled-gar=false",
                "enabled-registry=true",
                "pushed-dockerhub=false",
                "pushed-ecr=true",
                "pushed-registry=true")),
        outputs::toString);
    String digest = output("digest", outputs);
    assertEquals(
        List.of(
            ECR + ":sha-5e6f7a8",
            ECR + ":main",
            REGISTRY.host() + "/" + REPOSITORY + ":3.0.0",
            REGISTRY.host() + "/" + REPOSITORY + ":latest"),
        images(outputs));

    for (String tag : List.of("sha-5e6f7a8", "main")) {
      assertEquals(Optional.of(digest), digestIn(ECR_REGISTRY, tag), "ECR stand-in, tag " + tag);
    }
    assertEquals(Optional.of(digest), digestIn(REGISTRY, "3.0.0"));

    String markdown = Files.readString(summary);
    assertTrue(
        markdown.contains("Built `" + digest + "` once: 2 pushed, 0 failed, 2 skipped"), markdown);
    assertTrue(
        markdown.contains("| `ecr`<br>" + ECR + " | ✅ pushed | `sha-5e6f7a8` `main` |"), markdown);
    assertTrue(
        markdown.contains(
            "⏭️ skipped |  | 0 | 0.0 s | `not on a version tag: branch main (GitHub Actions)` |"),
        markdown);

    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertTrue(json.get("succeeded").asBoolean());
    assertEquals(digest, json.get("digest").asText());
    assertEquals("PUSHED", json.get("targets").get(1).get("status").asText());
    assertEquals("ecr", json.get("targets").get(1).get("backend").asText());

    List<String> lines = run.console().lines().toList();
    Map<String, List<String>> secrets =
        Map.of(
            ECR_PASSWORD, List.of("ecr", ECR),
            REGISTRY_PASSWORD, List.of("registry", REGISTRY.host() + "/" + REPOSITORY));
    secrets.forEach(
        (secret, target) -> {
          int mask = lines.indexOf("::add-mask::" + secret);
          assertTrue(mask >= 0, "not masked:\n" + run.console());
          assertTrue(
              mask < lineStarting(lines, "::group::" + target.get(0) + ":")
                  && mask < lineStarting(lines, "PUSHED " + target.get(1)),
              "masked after the target's log was printed:\n" + run.console());
        });
    for (String text :
        List.of(
            run.console(),
            run.errors(),
            Files.readString(output),
            markdown,
            Files.readString(report))) {
      String unmasked =
          text.replace("::add-mask::" + ECR_PASSWORD, "")
              .replace("::add-mask::" + REGISTRY_PASSWORD, "");
      for (String secret : List.of(ECR_PASSWORD, REGISTRY_PASSWORD, HUB_TOKEN)) {
        assertFalse(unmasked.contains(secret), "a secret was printed");
      }
    }
    assertTrue(lines.contains("::group::ecr: PUSHED " + ECR), run.console());
    assertFalse(run.console().contains("::error"), run.console());
  }

  @Test
  @DisplayName("on v1.2.3: pushes 1.2.3, 1.2, 1 and latest to Docker Hub and leaves ECR out")
  void versionTag() throws Exception {
    Run run = release(ref("tag", "v1.2.3"));

    assertEquals(0, run.status(), run.console());
    List<String> outputs = Files.readAllLines(output);
    assertTrue(
        outputs.containsAll(List.of("enabled-dockerhub=true", "enabled-ecr=false")),
        outputs::toString);
    String digest = output("digest", outputs);
    for (String tag : List.of("1.2.3", "1.2", "1", "latest")) {
      assertEquals(Optional.of(digest), digestIn(HUB, tag), "Docker Hub stand-in, tag " + tag);
    }
    assertEquals(
        List.of(),
        RegistryChecker.tags(ECR_REGISTRY.host(), REPOSITORY, ECR_REGISTRY.credentials()));
    assertTrue(run.console().contains("::add-mask::" + HUB_TOKEN), run.console());
  }

  private Map<String, String> ref(String type, String name) {
    return Map.of(
        "GITHUB_EVENT_NAME", "push",
        "GITHUB_REF_TYPE", type,
        "GITHUB_REF_NAME", name,
        "GITHUB_REF", (type.equals("tag") ? "refs/tags/" : "refs/heads/") + name,
        "GITHUB_SHA", SHA);
  }

  private Run release(Map<String, String> ref) throws Exception {
    Map<String, String> variables = new HashMap<>(ref);
    variables.putAll(
        Map.ofEntries(
            Map.entry("GITHUB_ACTIONS", "true"),
            Map.entry("GITHUB_OUTPUT", output.toString()),
            Map.entry("GITHUB_STEP_SUMMARY", summary.toString()),
            Map.entry("FANOUT_INSECURE", "true"),
            Map.entry("FANOUT_REPORT", report.toString()),
            Map.entry("RELEASE_VERSION", "3.0.0"),
            Map.entry("DOCKERHUB_USERNAME", "acme"),
            Map.entry("DOCKERHUB_TOKEN", HUB_TOKEN),
            Map.entry("DOCKERHUB_REPOSITORY", HUB.reference(REPOSITORY)),
            Map.entry("AWS_ACCESS_KEY_ID", "AKIAFANOUTEXAMPLE0001"),
            Map.entry("AWS_SECRET_ACCESS_KEY", "fanout/example/secret/access/key/0001"),
            Map.entry("AWS_ENDPOINT_URL_ECR", ecrApi.endpoint()),
            Map.entry("FANOUT_REGISTRY", REGISTRY.reference(REPOSITORY)),
            Map.entry("FANOUT_USERNAME", REGISTRY.username()),
            Map.entry("FANOUT_PASSWORD", REGISTRY_PASSWORD)));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    int status;
    try (PrintStream capture = new PrintStream(errors, true, StandardCharsets.UTF_8)) {
      System.setErr(capture);
      status =
          ReleasePipeline.release(
              Environment.of(variables, folder),
              folder.resolve("release"),
              new PrintStream(console, true, StandardCharsets.UTF_8));
    } finally {
      System.setErr(originalErr);
    }
    return new Run(
        status, console.toString(StandardCharsets.UTF_8), errors.toString(StandardCharsets.UTF_8));
  }

  private static Optional<String> digestIn(LocalRegistryExtension registry, String tag)
      throws Exception {
    return RegistryChecker.manifestDigest(registry.host(), REPOSITORY, tag, registry.credentials());
  }

  private static String output(String name, List<String> outputs) {
    return outputs.stream()
        .filter(line -> line.startsWith(name + "="))
        .map(line -> line.substring(name.length() + 1))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no output " + name + " in " + outputs));
  }

  /** The {@code images} output, written with a random heredoc delimiter. */
  private static List<String> images(List<String> outputs) {
    for (int index = 0; index < outputs.size(); index++) {
      Matcher start = Pattern.compile("images<<(.+)").matcher(outputs.get(index));
      if (start.matches()) {
        int end = outputs.subList(index + 1, outputs.size()).indexOf(start.group(1));
        return outputs.subList(index + 1, index + 1 + end);
      }
    }
    throw new AssertionError("no images output in " + outputs);
  }

  private static int lineStarting(List<String> lines, String prefix) {
    for (int index = 0; index < lines.size(); index++) {
      if (lines.get(index).startsWith(prefix)) {
        return index;
      }
    }
    throw new AssertionError("no line starting with " + prefix + " in " + lines);
  }

  /**
   * What a release printed.
   *
   * @param status its exit status
   * @param console the step's log, where workflow commands go
   * @param errors what went to standard error (SLF4J's simple logger)
   */
  private record Run(int status, String console, String errors) {}
}
