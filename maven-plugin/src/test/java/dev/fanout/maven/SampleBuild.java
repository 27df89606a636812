package dev.fanout.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the real {@code mvn} on a copy of a sample project from {@code src/it}, or of an example
 * from the repository's {@code examples}, with the plugin as the build installed it into {@code
 * target/it-repository} (maven-invoker-plugin's {@code install} goal), never into {@code ~/.m2}.
 *
 * <p>The sample build is offline ({@code -o}) with {@code target/it-repository} as its local
 * repository; everything else it needs (maven-compiler-plugin and so on) it copies from {@code
 * ~/.m2} through a {@code file://} mirror, which offline mode allows with {@code
 * -Daether.offline.protocols=file}. The samples pin the Maven plugins Fanout's own build uses, so a
 * {@code ~/.m2} that built Fanout holds all of them. SNAPSHOTs are disabled on that mirror, so the
 * sample resolves Fanout's SNAPSHOTs only from the repository this build filled. The process sees
 * only the variables the test gives it, besides {@code PATH}, {@code HOME}, {@code JAVA_HOME} and
 * {@code MAVEN_OPTS}.
 */
final class SampleBuild {

  /** A test's sample build takes seconds; this only stops a hung one. */
  private static final long TIMEOUT_MINUTES = 5;

  private static final Path IT_REPOSITORY = Path.of(property("fanout.it.repository"));
  private static final Path PROJECTS = Path.of(property("fanout.it.projects"));
  private static final Path EXAMPLES = Path.of(property("fanout.it.examples"));
  private static final Path WORK = Path.of(property("fanout.it.work"));
  private static final Path USER_REPOSITORY = Path.of(property("fanout.it.userRepository"));
  static final String FANOUT_VERSION = property("fanout.it.version");

  private final Path folder;
  private final Map<String, String> environment = new HashMap<>();
  private final List<String> servers = new ArrayList<>();

  private SampleBuild(Path folder) {
    this.folder = folder;
  }

  /**
   * A fresh copy of a sample.
   *
   * @param sample the folder's name under {@code src/it}
   * @param copyName the copy's name under {@code target/it}, unique per test
   * @return the build, not yet run
   */
  static SampleBuild of(String sample, String copyName) {
    return copyOf(PROJECTS.resolve(sample), copyName);
  }

  /**
   * A fresh copy of one of the repository's examples, a project users copy as it is.
   *
   * @param example the folder's name under {@code examples}
   * @param copyName the copy's name under {@code target/it}, unique per test
   * @return the build, not yet run
   */
  static SampleBuild ofExample(String example, String copyName) {
    return copyOf(EXAMPLES.resolve(example), copyName);
  }

  private static SampleBuild copyOf(Path source, String copyName) {
    Path target = WORK.resolve(copyName);
    try {
      deleteTree(target);
      try (Stream<Path> files = Files.walk(source)) {
        for (Path file : files.toList()) {
          Path relative = source.relativize(file);
          if (relative.startsWith("target")) {
            continue; // an example built in place by hand
          }
          Path copy = target.resolve(relative.toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(copy);
          } else {
            Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      Files.copy(
          PROJECTS.resolve("settings-security.xml"),
          target.resolve("settings-security.xml"),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SampleBuild(target);
  }

  /**
   * Sets a variable of the build's environment.
   *
   * @param name the name
   * @param value the value
   * @return this build
   */
  SampleBuild env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /**
   * Adds a {@code <server>} to the build's {@code settings.xml}.
   *
   * @param id the server id
   * @param username the user
   * @param encryptedPassword the password as {@code mvn --encrypt-password} prints it
   * @return this build
   */
  SampleBuild server(String id, String username, String encryptedPassword) {
    servers.add(
        "<server><id>"
            + id
            + "</id><username>"
            + username
            + "</username><password>"
            + encryptedPassword
            + "</password></server>");
    return this;
  }

  /**
   * The copy's folder.
   *
   * @return the folder
   */
  Path folder() {
    return folder;
  }

  /**
   * Runs {@code mvn} in the copy.
   *
   * @param arguments goals and {@code -D} options
   * @return how it went
   */
  Result run(String... arguments) {
    try {
      Path settings = folder.resolve("settings.xml");
      Files.writeString(settings, settings(), StandardCharsets.UTF_8);
      List<String> command = new ArrayList<>(List.of("mvn", "-B", "-o"));
      command.addAll(
          List.of(
              "-Daether.offline.protocols=file",
              "-s",
              settings.toString(),
              "-Dsettings.security=" + folder.resolve("settings-security.xml"),
              "-Dfanout.version=" + FANOUT_VERSION));
      command.addAll(List.of(arguments));
      ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile());
      Map<String, String> env = builder.environment();
      env.clear();
      for (String kept : List.of("PATH", "HOME", "JAVA_HOME")) {
        String value = System.getenv(kept);
        if (value != null) {
          env.put(kept, value);
        }
      }
      // A sample build lasts seconds: C2's compiler threads only compete with it for the CPU
      // (fanout:plan of jar-app, interleaved runs at load average 19: 10.8-13.7 s -> 3.9-4.7 s).
      env.put("MAVEN_OPTS", "-XX:TieredStopAtLevel=1");
      env.putAll(environment);
      Path log = folder.resolve("build.log");
      builder.redirectErrorStream(true).redirectOutput(log.toFile());
      Process process = builder.start();
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("mvn did not finish in " + TIMEOUT_MINUTES + " min; see " + log);
      }
      return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private String settings() {
    String mirror = USER_REPOSITORY.toUri().toString();
    String repository =
        "<id>central</id><url>" + mirror + "</url><snapshots><enabled>false</enabled></snapshots>";
    return "<settings>\n"
        + "  <localRepository>"
        + IT_REPOSITORY
        + "</localRepository>\n"
        + "  <mirrors><mirror><id>user-repository</id><mirrorOf>*</mirrorOf><url>"
        + mirror
        + "</url></mirror></mirrors>\n"
        + "  <servers>"
        + String.join("", servers)
        + "</servers>\n"
        + "  <profiles><profile><id>it</id>\n"
        + "    <repositories><repository>"
        + repository
        + "</repository></repositories>\n"
        + "    <pluginRepositories><pluginRepository>"
        + repository
        + "</pluginRepository></pluginRepositories>\n"
        + "  </profile></profiles>\n"
        + "  <activeProfiles><activeProfile>it</activeProfile></activeProfiles>\n"
        + "</settings>\n";
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException(
          name + " is not set: run these tests with failsafe (mvn verify -pl maven-plugin -am)");
    }
    return value;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(file);
      }
    }
  }

  /**
   * A finished build.
   *
   * @param exitCode mvn's exit status
   * @param log its output and error output
   * @param logFile where the log is kept, for a failed assertion's message
   */
  record Result(int exitCode, String log, Path logFile) {

    /**
     * A message for assertions: where to read the whole log.
     *
     * @return the message
     */
    String seeLog() {
      return "see " + logFile;
    }
  }
}
