package dev.fanout.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.testkit.BasicAuth;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The bytes of a manifest or index as {@code skopeo inspect --raw} reads them from a registry: a
 * client that is not Fanout's, so a byte changed on the way in cannot hide behind a byte changed on
 * the way out.
 */
final class SkopeoRaw {

  private SkopeoRaw() {}

  /**
   * Runs {@code skopeo inspect --raw} in the test's own locale.
   *
   * @param reference for example {@code 127.0.0.1:PORT/acme/app:1} or {@code ...@sha256:...}
   * @param credentials the registry's credential, or empty for an anonymous read
   * @return the bytes skopeo printed
   */
  static byte[] read(String reference, Optional<BasicAuth> credentials) throws Exception {
    return read(reference, credentials, Map.of());
  }

  /**
   * Runs {@code skopeo inspect --raw} with some variables of its environment replaced, for example
   * {@code LANG=C}.
   *
   * @param reference the image reference
   * @param credentials the registry's credential, or empty for an anonymous read
   * @param environment variables to set for skopeo
   * @return the bytes skopeo printed
   */
  static byte[] read(
      String reference, Optional<BasicAuth> credentials, Map<String, String> environment)
      throws Exception {
    List<String> command =
        new ArrayList<>(List.of("skopeo", "inspect", "--raw", "--tls-verify=false"));
    credentials.ifPresentOrElse(
        c -> command.addAll(List.of("--creds", c.username() + ":" + c.password())),
        () -> command.add("--no-creds"));
    command.add("docker://" + reference);
    Path errors = Files.createTempFile("fanout-skopeo-", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      byte[] out = process.getInputStream().readAllBytes();
      boolean finished = process.waitFor(60, TimeUnit.SECONDS);
      if (!finished) {
        process.destroyForcibly();
      }
      String error = Files.readString(errors, StandardCharsets.UTF_8);
      String shown = credentials.map(c -> error.replace(c.password(), "***")).orElse(error).strip();
      assertTrue(finished, "skopeo inspect --raw " + reference + " did not finish");
      assertEquals(0, process.exitValue(), "skopeo inspect --raw " + reference + ": " + shown);
      return out;
    } finally {
      Files.deleteIfExists(errors);
    }
  }
}
