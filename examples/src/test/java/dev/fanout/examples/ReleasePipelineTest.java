package dev.fanout.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Environment;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.RegistryChecker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The example release pipeline")
class ReleasePipelineTest {

  @RegisterExtension
  static final LocalRegistryExtension REGISTRY =
      LocalRegistryExtension.withBasicAuth("release-bot", "example-release-password");

  private static final Pattern DIGEST = Pattern.compile("Report: image (sha256:[0-9a-f]{64})");

  @TempDir Path output;

  @Test
  @DisplayName("with no credentials, builds the image, writes the tarball and says why each registry is skipped")
  void noCredentials() throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    int status = ReleasePipeline.release(Environment.of(Map.of()), output, print(console));
    String printed = console.toString(StandardCharsets.UTF_8);

    assertEquals(0, status, printed);
    Path tarball = output.resolve("fanout-hello.tar");
    assertTrue(Files.size(tarball) > 0, "tarball written");
    assertTrue(
        skopeoInspect(tarball).contains("\"org.opencontainers.image.version\": \"1.0.0\""),
        "skopeo reads the tarball as a docker archive");
    assertSkipped(printed, "docker.io/acme/fanout-hello", "DOCKERHUB_USERNAME and DOCKERHUB_TOKEN are not set");
    assertSkipped(printed, "dkr.ecr.eu-west-1.amazonaws.com/acme/fanout-hello", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
    assertSkipped(printed, "europe-docker.pkg.dev/acme/images/fanout-hello", "GOOGLE_APPLICATION_CREDENTIALS is not set");
    assertTrue(DIGEST.matcher(printed).find(), printed);
  }

  @Test
  @DisplayName("with FANOUT_REGISTRY set, also pushes there and the registry holds the reported digest")
  void pushesToFanoutRegistry() throws Exception {
    Environment environment =
        Environment.of(
            Map.of(
                "FANOUT_REGISTRY", REGISTRY.reference("acme/fanout-hello"),
                "FANOUT_USERNAME", REGISTRY.username(),
                "FANOUT_PASSWORD", REGISTRY.password(),
                "FANOUT_INSECURE", "true",
                "RELEASE_VERSION", "2.3.4"));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    int status = ReleasePipeline.release(environment, output, print(console));
    String printed = console.toString(StandardCharsets.UTF_8);

    assertEquals(0, status, printed);
    Matcher digest = DIGEST.matcher(printed);
    assertTrue(digest.find(), printed);
    assertEquals(
        Optional.of(digest.group(1)),
        RegistryChecker.manifestDigest(REGISTRY.host(), "acme/fanout-hello", "2.3.4", REGISTRY.credentials()));
    assertTrue(printed.contains("PUSHED"), printed);
    assertTrue(!printed.contains(REGISTRY.password()), "the password was printed");
  }

  private static void assertSkipped(String printed, String target, String reason) {
    assertTrue(
        printed.lines().anyMatch(line -> line.contains(target) && line.contains("SKIPPED") && line.contains(reason)),
        "expected " + target + " skipped because " + reason + " in:\n" + printed);
  }

  /** Reads the tarball with skopeo, a client that is not ours. */
  private static String skopeoInspect(Path tarball) throws Exception {
    Process skopeo =
        new ProcessBuilder("skopeo", "inspect", "docker-archive:" + tarball)
            .redirectErrorStream(true)
            .start();
    String out = new String(skopeo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, skopeo.waitFor(), out);
    return out;
  }

  private static PrintStream print(ByteArrayOutputStream console) {
    return new PrintStream(console, true, StandardCharsets.UTF_8);
  }
}
