package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.RegistryChecker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application archive as a user gets it: {@code target/fanout-cli-<version>.tar.gz}, unpacked
 * with {@code tar}, run through {@code bin/fanout} in a process of its own.
 */
@DisplayName("The application archive")
class DistributionIT {

  private static final String USER = "dist-bot";
  private static final String PASSWORD = "dist-test-password";

  @RegisterExtension
  static final LocalRegistryExtension REGISTRY =
      LocalRegistryExtension.withBasicAuth(USER, PASSWORD);

  private static final Pattern DIGEST = Pattern.compile("Report: image (sha256:[0-9a-f]{64})");

  /**
   * What {@code -Xlog:class+load} says of a class mapped from a class-data archive. Only the
   * launcher's archive holds Fanout's and picocli's classes; the JDK's own holds neither.
   */
  private static final String FROM_ARCHIVE = " source: shared objects file";

  @TempDir static Path folder;
  private static Path home;
  private static String version;

  @BeforeAll
  static void unpack() throws Exception {
    version = System.getProperty("fanout.version");
    Path archive = Path.of(System.getProperty("fanout.distribution"));
    assertTrue(Files.isRegularFile(archive), archive + " was not built");
    Path unpacked = Files.createDirectories(folder.resolve("unpacked"));
    Run tar = run(List.of("tar", "-xzf", archive.toString(), "-C", unpacked.toString()), Map.of());
    assertEquals(0, tar.status(), tar.stderr());
    home = unpacked.resolve("fanout-" + version);
  }

  @Test
  @DisplayName("holds bin/fanout (executable), lib/, LICENSE and NOTICE under fanout-<version>/")
  void layout() {
    assertTrue(Files.isExecutable(home.resolve("bin/fanout")), "bin/fanout is not executable");
    assertTrue(Files.isRegularFile(home.resolve("lib/fanout-cli-" + version + ".jar")));
    assertTrue(Files.isRegularFile(home.resolve("LICENSE")));
    assertTrue(Files.isRegularFile(home.resolve("NOTICE")));
  }

  @Test
  @DisplayName("names every jar of lib/ on the launcher's class path once, the command's own first")
  void classPath() throws IOException {
    String launcher = Files.readString(home.resolve("bin/fanout"));
    Matcher line = Pattern.compile("(?m)^classpath=\"([^\"]*)\"$").matcher(launcher);
    assertTrue(line.find(), "no classpath= line in bin/fanout");
    List<String> entries = List.of(line.group(1).split(":"));
    assertEquals("$lib/fanout-cli-" + version + ".jar", entries.get(0));
    List<String> named = entries.stream().map(entry -> entry.replace("$lib/", "")).toList();
    try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
      assertEquals(
          jars.map(jar -> jar.getFileName().toString())
              .collect(Collectors.toCollection(TreeSet::new)),
          new TreeSet<>(named));
    }
    assertEquals(named.size(), new TreeSet<>(named).size(), "a jar is named twice: " + named);
  }

  @Test
  @DisplayName(
      "prints its version, records a class-data archive in FANOUT_CACHE, and the next run loads"
          + " classes from it")
  void versionAndClassDataArchive() throws Exception {
    Path cache = folder.resolve("version-cache");
    Run first = fanout(Map.of("FANOUT_CACHE", cache.toString()), "--version");
    assertEquals(0, first.status(), first.stderr());
    assertTrue(first.stdout().startsWith("fanout " + version + "\n"), first.stdout());
    List<Path> archives;
    try (Stream<Path> files = Files.list(cache)) {
      archives = files.toList();
    }
    assertEquals(1, archives.size(), "archives: " + archives);
    assertTrue(archives.get(0).getFileName().toString().endsWith(".jsa"), archives.toString());

    Path classLog = folder.resolve("class-load.log");
    Run second =
        fanout(
            Map.of(
                "FANOUT_CACHE",
                cache.toString(),
                "JAVA_OPTS",
                "-Xlog:class+load=info:file=" + classLog),
            "--version");
    assertEquals(0, second.status(), second.stderr());
    String loaded = Files.readString(classLog);
    // picocli's are Java 5 class files, which JDK 17 archives only in a static archive.
    for (String type : List.of("dev.fanout.cli.FanoutCli", "picocli.CommandLine")) {
      assertTrue(
          loaded.contains(" " + type + FROM_ARCHIVE), type + " did not come from " + archives.get(0));
    }
  }

  @Test
  @DisplayName(
      "pushes a directory to a registry with htpasswd, and skopeo reads the digest it reported")
  void pushes() throws Exception {
    Path app = Files.createDirectories(folder.resolve("push/app"));
    Files.writeString(app.resolve("hello.txt"), "hello from the archive\n");
    Map<String, String> environment = new HashMap<>();
    environment.put("FANOUT_CACHE", folder.resolve("push-cache").toString());
    environment.put("FANOUT_USERNAME", USER);
    environment.put("FANOUT_PASSWORD", PASSWORD);
    String reference = REGISTRY.reference("dist/app:1");

    Run push = fanout(environment, "push", "--plain-http", "--layer", app.toString(), reference);

    assertEquals(0, push.status(), push.stdout() + push.stderr());
    Matcher digest = DIGEST.matcher(push.stdout());
    assertTrue(digest.find(), push.stdout());
    assertEquals(digest.group(1), RegistryChecker.skopeoDigest(reference, REGISTRY.credentials()));
    assertFalse((push.stdout() + push.stderr()).contains(PASSWORD), "the password was printed");
  }

  @Test
  @DisplayName("refuses a Java older than 17 with exit status 2 and says which one it found")
  void refusesOldJava() throws Exception {
    Path java = Files.createDirectories(folder.resolve("java11/bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

    Run run =
        fanout(
            Map.of(
                "JAVA_HOME", java.getParent().getParent().toString(),
                "FANOUT_CACHE", folder.resolve("java11-cache").toString()),
            "--version");

    assertEquals(2, run.status());
    assertEquals(
        "fanout: " + java + " is Java 11.0.2; Fanout needs Java 17 or later (set JAVA_HOME)\n",
        run.stderr());
    assertFalse(Files.exists(folder.resolve("java11-cache")), "the cache was made for Java 11");
  }

  @Test
  @DisplayName("says so when JAVA_HOME holds no java")
  void refusesEmptyJavaHome() throws Exception {
    Path empty = Files.createDirectories(folder.resolve("no-java"));

    Run run = fanout(Map.of("JAVA_HOME", empty.toString()), "--version");

    assertEquals(2, run.status());
    assertTrue(
        run.stderr().startsWith("fanout: JAVA_HOME is " + empty + ", but " + empty + "/bin/java"),
        run.stderr());
  }

  private static Run fanout(Map<String, String> environment, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(home.resolve("bin/fanout").toString()));
    command.addAll(List.of(arguments));
    return run(command, environment);
  }

  private static Run run(List<String> command, Map<String, String> environment) throws Exception {
    Path out = Files.createTempFile(folder, "out", ".txt");
    Path err = Files.createTempFile(folder, "err", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    // The build's own environment must not reach the command: CI's JVM options, or, in a GitHub
    // Actions job, the step's outputs file.
    builder.environment().remove("JAVA_OPTS");
    builder.environment().remove("GITHUB_ACTIONS");
    builder.environment().putAll(environment);
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command.get(0) + " did not finish in 120 s");
    }
    return new Run(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private record Run(int status, String stdout, String stderr) {}
}
