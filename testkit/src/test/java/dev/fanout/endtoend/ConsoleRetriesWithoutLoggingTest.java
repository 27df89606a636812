package dev.fanout.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.testkit.FaultInjectingProxy;
import dev.fanout.testkit.LocalRegistry;
import dev.fanout.testkit.OciLayouts;
import dev.fanout.testkit.RegistryChecker;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A console run with no SLF4J provider, in a JVM of its own ({@link ConsoleRunMain}): this module's
 * tests have slf4j-simple on their class path, so the child's class path is this one without it,
 * and its standard error is checked for SLF4J's own word that no provider was found.
 */
@DisplayName("A console run with no SLF4J provider")
class ConsoleRetriesWithoutLoggingTest {

  /** A retry as the console shows it: the repository, the wait in seconds, the failed try. */
  private static final Pattern RETRY =
      Pattern.compile(
          "console: retrying PUT manifest 1\\.0\\.0 on (\\S+) in ([0-9.]+) s after \\S+ answered"
              + " 429 TOOMANYREQUESTS to PUT /v2/console/app/manifests/1\\.0\\.0: injected 429"
              + " \\(try ([0-9]+) of 10 failed\\)");

  @TempDir Path temp;

  @Test
  @DisplayName(
      "shows each retry of a manifest upload answered 429 with Retry-After: 1, and the host's"
          + " hold, on the console; the image lands")
  void retriesOnTheConsole() throws Exception {
    OciLayouts.Layout layout = OciLayouts.singleManifest(temp.resolve("layout"));
    try (LocalRegistry registry = LocalRegistry.plain().start();
        FaultInjectingProxy front =
            FaultInjectingProxy.inFrontOf(registry.host())
                .failManifestUploads(2, 429, Duration.ofSeconds(1))
                .start()) {
      String repository = front.host() + "/console/app";

      Run run = runWithoutProvider(layout.path(), repository);

      assertEquals(0, run.exit, run::toString);
      assertTrue(run.errors.contains("No SLF4J providers were found"), run::toString);
      List<String> retries =
          run.output.lines().filter(line -> line.contains(": retrying ")).toList();
      assertEquals(2, retries.size(), run::toString);
      for (int tried = 1; tried <= 2; tried++) {
        String line = retries.get(tried - 1);
        Matcher retry = RETRY.matcher(line);
        assertTrue(retry.matches(), line);
        assertEquals(repository, retry.group(1), line);
        assertTrue(Double.parseDouble(retry.group(2)) >= 1, "Retry-After is a floor: " + line);
        assertEquals(Integer.toString(tried), retry.group(3), line);
      }
      assertEquals(
          2,
          run.output
              .lines()
              .filter(
                  line ->
                      line.contains(
                          "asked every client to wait 1 s (" + front.host() + " answered 429"))
              .count(),
          run::toString);
      assertTrue(run.output.contains("PUSHED " + repository), run::toString);
      assertEquals(
          Optional.of(layout.digest()),
          RegistryChecker.manifestDigest(
              registry.host(), "console/app", "1.0.0", Optional.empty()));
    }
  }

  /** What the child JVM printed and how it exited. */
  private record Run(int exit, String output, String errors) {}

  private Run runWithoutProvider(Path layout, String repository) throws Exception {
    String classPath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("slf4j-simple"))
            .collect(Collectors.joining(File.pathSeparator));
    assertTrue(
        !classPath.equals(System.getProperty("java.class.path")),
        "slf4j-simple was expected on this module's test class path");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            classPath,
            ConsoleRunMain.class.getName(),
            layout.toString(),
            repository);
    Path output = Files.createTempFile(temp, "console-", ".out");
    Path errors = Files.createTempFile(temp, "console-", ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(output.toFile())
            .redirectError(errors.toFile())
            .start();
    boolean finished = process.waitFor(3, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly();
    }
    Run run =
        new Run(
            finished ? process.exitValue() : -1,
            Files.readString(output, StandardCharsets.UTF_8),
            Files.readString(errors, StandardCharsets.UTF_8));
    assertTrue(finished, () -> "the run did not finish: " + run);
    return run;
  }
}
