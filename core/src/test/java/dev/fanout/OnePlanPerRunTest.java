package dev.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counts plannings and git invocations of a run, in a JVM of its own whose {@code PATH} starts with
 * a stand-in {@code git} that logs each command and hands it to the real git: Fanout's own code is
 * not touched to count.
 */
@DisplayName("One run")
class OnePlanPerRunTest {

  /** What one read of a checked-out branch's ref asks git: the commit, then the branch. */
  private static final String ONE_REF_READ =
      "rev-parse --verify --quiet HEAD|symbolic-ref --quiet --short HEAD";

  @TempDir Path folder;

  @Test
  @DisplayName(
      "plans once and runs git for one ref read, whether by run() or by plan() then plan.run(),"
          + " though two ref conditions and a branch tag rule read the ref")
  void onePlanningOneRefRead() throws Exception {
    Path git = realGit();
    Path repository = Files.createDirectory(folder.resolve("repository"));
    run(repository, List.of(git.toString(), "init", "-q", "-b", "main"));
    run(
        repository,
        List.of(
            git.toString(),
            "-c",
            "user.name=Fanout",
            "-c",
            "user.email=fanout@example.com",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "first"));
    Path stand = Files.createDirectory(folder.resolve("bin"));
    Path gitLog = folder.resolve("git.log");
    Path script = stand.resolve("git");
    Files.writeString(
        script,
        "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + gitLog + "'\nexec '" + git + "' \"$@\"\n",
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

    ProcessBuilder child =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            PlanCountMain.class.getName(),
            repository.toString(),
            gitLog.toString());
    child.environment().put("PATH", stand + File.pathSeparator + System.getenv("PATH"));
    List<String> printed = run(folder, child);

    assertEquals(
        List.of(
            "run() plannings=1 planned-events=1 git=" + ONE_REF_READ,
            "plan().run() plannings=1 planned-events=1 git=" + ONE_REF_READ),
        printed.stream().filter(line -> line.contains("plannings=")).toList(),
        String.join("\n", printed));
  }

  private static Path realGit() {
    return Stream.of(System.getenv("PATH").split(File.pathSeparator))
        .map(entry -> Path.of(entry, "git"))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("git is not on PATH"));
  }

  private static void run(Path directory, List<String> command)
      throws IOException, InterruptedException {
    run(directory, new ProcessBuilder(command));
  }

  private static List<String> run(Path directory, ProcessBuilder builder)
      throws IOException, InterruptedException {
    Path output = Files.createTempFile(directory.getParent(), "out-", ".txt");
    Process process =
        builder
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean finished = process.waitFor(2, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly();
    }
    List<String> printed = Files.readAllLines(output, StandardCharsets.UTF_8);
    assertTrue(finished, "did not finish: " + printed);
    assertEquals(0, process.exitValue(), String.join("\n", printed));
    return printed;
  }
}
