package dev.fanout.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Environment;
import dev.fanout.RetryPolicy;
import dev.fanout.TagRule;
import dev.fanout.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The config file reader")
class PipelineFileReaderTest {

  /** The variables GitHub Actions sets for a push of the tag v1.2.3. */
  private static final Map<String, String> ON_VERSION_TAG =
      Map.of(
          "GITHUB_ACTIONS", "true",
          "GITHUB_EVENT_NAME", "push",
          "GITHUB_REF_TYPE", "tag",
          "GITHUB_REF_NAME", "v1.2.3",
          "GITHUB_REF", "refs/tags/v1.2.3",
          "GITHUB_SHA", "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d");

  @TempDir Path folder;

  @Test
  @DisplayName(
      "reads the example release: the image, four targets with their names, conditions and"
          + " settings, the retry policy")
  void example() {
    List<String> problems = new ArrayList<>();
    Optional<PipelineFile> file =
        PipelineFileReader.read(Path.of("..", "examples", "fanout.yml"), problems);

    assertEquals(List.of(), problems);
    PipelineFile read = file.orElseThrow();
    ImageSection image = read.image().orElseThrow();
    assertEquals(
        Optional.of(
            "oci:" + Path.of("..", "examples").toAbsolutePath().resolve("target/image.tar")),
        image.from());
    assertEquals(
        List.of("dockerhub", "ecr", "gar", "pull-request"),
        read.targets().stream().map(t -> t.target().name().orElseThrow()).toList());
    assertEquals(Map.of("ecr.createRepository", "true"), read.targets().get(1).target().options());
    assertTrue(read.targets().get(2).target().isOptional());
    assertTrue(read.targets().get(3).target().plainHttpAllowed());
    RetryPolicy retry = read.retry().orElseThrow();
    assertEquals(6, retry.maxAttempts());
    assertEquals(Duration.ofSeconds(1), retry.initialBackoff());
    assertEquals(Duration.ofMinutes(15), retry.deadline());
    assertEquals(
        List.of("semver", "sha", "branch"),
        read.tags().orElseThrow().stream().map(TagRule::toString).toList());
  }

  @Test
  @DisplayName(
      "reports every problem at once, each with its line and column, and never repeats what stands"
          + " where a variable's name belongs")
  void everyProblemWithItsPlace() throws IOException {
    Path file =
        write(
            """
            image:
              from: oci:layout
              layers:
                - directory: app
            tagRules: [semver, semvr]
            targets:
              - to: 127.0.0.1:1/acme/app
                tags: [1.0]
                when:
                  brnch: main
              - name: Hub
                credentials:
                  username: DOCKER-USER
                  password: s3cr3t!value
            retry:
              maxAttempts: 0
              deadline: 10 minutes
            colour: blue
            """);
    List<String> problems = new ArrayList<>();

    Optional<PipelineFile> read = PipelineFileReader.read(file, problems);

    assertTrue(read.isEmpty());
    List<String> expected =
        List.of(
            "3:3: image: 'layers' builds an image, but 'from' pushes an existing one",
            "4:18: image.layers[0].directory: " + folder.resolve("app") + " is not a directory",
            "5:20: tagRules[1]: unknown tag rule 'semvr'",
            "8:12: targets[0].tags[0]: expected text, found the number 1.0; quote it ('1.0')",
            "10:7: targets[0].when: unknown key 'brnch'; expected one of: credentialPresent,"
                + " branch,",
            "11:5: targets[1]: names no image to push to: give 'to'",
            "11:11: targets[1].name: 'Hub' is not a target name",
            "13:17: targets[1].credentials.username: is not an environment variable's name",
            "14:17: targets[1].credentials.password: is not an environment variable's name",
            "16:16: retry.maxAttempts: expected a whole number of at least 1, found the number 0",
            "17:13: retry.deadline: '10 minutes' is not a duration",
            "18:1: unknown key 'colour'; expected one of: image, tags, tagRules, targets, retry");
    assertEquals(expected.size(), problems.size(), String.join("\n", problems));
    for (int i = 0; i < expected.size(); i++) {
      assertTrue(
          problems.get(i).startsWith(file + ":" + expected.get(i)),
          expected.get(i) + " in\n" + String.join("\n", problems));
    }
    assertFalse(String.join("\n", problems).contains("s3cr3t"), "a value was repeated");
  }

  @Test
  @DisplayName("refuses a key given twice, a merge key, and a YAML syntax error with its place")
  void duplicatesAndSyntax() throws IOException {
    Path twice =
        write(
            """
            targets:
              - to: 127.0.0.1:1/a/b
                to: 127.0.0.1:1/a/c
            retry:
              <<: {maxAttempts: 2}
            """);
    Path broken = write("targets:\n  - to: [127.0.0.1:1/a/b\n");
    List<String> problems = new ArrayList<>();
    List<String> syntax = new ArrayList<>();

    PipelineFileReader.read(twice, problems);
    PipelineFileReader.read(broken, syntax);

    assertEquals(
        List.of(
            twice + ":3:5: targets[0]: 'to' is given twice",
            twice + ":5:3: retry: merge keys (<<) are not supported: write the keys out"),
        problems);
    assertEquals(1, syntax.size(), syntax.toString());
    assertTrue(syntax.get(0).startsWith(broken + ":3:1: "), syntax.toString());
  }

  @Test
  @DisplayName(
      "constructs no object from a YAML tag, and bounds what aliases can make a small file stand"
          + " for")
  void safeLoading() throws IOException {
    Path tagged =
        write(
            """
targets:
  - to: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://127.0.0.1:1/"]]]]
""");
    Path localTag = write("targets:\n  - to: !app 127.0.0.1:1/a/b\n");
    List<String> problems = new ArrayList<>();
    List<String> local = new ArrayList<>();
    List<String> doubled = new ArrayList<>();
    List<String> aliased = new ArrayList<>();

    PipelineFileReader.read(tagged, problems);
    PipelineFileReader.read(localTag, local);
    Path bomb = aliasBomb(20);
    PipelineFileReader.read(bomb, doubled);
    PipelineFileReader.read(aliasBomb(30), aliased);

    assertEquals(
        List.of(
            tagged
                + ":2:9: Global tag is not allowed:"
                + " tag:yaml.org,2002:javax.script.ScriptEngineManager"),
        problems);
    assertEquals(
        List.of(
            localTag
                + ":2:9: targets[0].to: expected text, found a value tagged !app (tags are not"
                + " supported)"),
        local);
    // 20 levels of two aliases each stand for a million conditions: the reader stops at its budget.
    assertEquals(
        List.of(bomb + ": holds more than 10000 values (counting what aliases repeat)"), doubled);
    // 60 aliases: SnakeYAML refuses them before the reader starts.
    assertEquals(1, aliased.size(), aliased.toString());
    assertTrue(
        aliased.get(0).contains("Number of aliases for non-scalar nodes exceeds"),
        aliased.toString());
  }

  /** A target whose condition doubles at each of {@code levels} levels through two aliases. */
  private Path aliasBomb(int levels) throws IOException {
    StringBuilder yaml =
        new StringBuilder("targets:\n  - to: 127.0.0.1:1/a/b\n    when:\n      and:\n");
    yaml.append("        - &a0 {branch: main}\n");
    for (int i = 1; i < levels; i++) {
      yaml.append("        - &a" + i + " {and: [*a" + (i - 1) + ", *a" + (i - 1) + "]}\n");
    }
    return write(yaml.toString());
  }

  @Test
  @DisplayName(
      "turns conditions into the DSL's: keys and-ed, or, not, credential variables, the git ref")
  void conditions() throws IOException {
    Path file =
        write(
            """
            targets:
              - to: 127.0.0.1:1/a/hub
                when:
                  credentialPresent: [HUB_USER, HUB_TOKEN]
                  semverTag: true
              - to: 127.0.0.1:1/a/ecr
                when:
                  or:
                    - branch: main
                    - not: {tag: true}
              - to: 127.0.0.1:1/a/pr
                when: {pullRequest: true}
            """);
    List<String> problems = new ArrayList<>();
    PipelineFile read = PipelineFileReader.read(file, problems).orElseThrow();
    Map<String, String> withToken = new java.util.HashMap<>(ON_VERSION_TAG);
    withToken.put("HUB_USER", "robot");
    withToken.put("HUB_TOKEN", "t");

    Verdict hub = read.targets().get(0).when().evaluate(Environment.of(withToken));
    Verdict hubWithout = read.targets().get(0).when().evaluate(Environment.of(ON_VERSION_TAG));
    Verdict ecr = read.targets().get(1).when().evaluate(Environment.of(ON_VERSION_TAG));
    Verdict pr = read.targets().get(2).when().evaluate(Environment.of(ON_VERSION_TAG));

    assertTrue(hub.holds(), hub.reason());
    assertFalse(hubWithout.holds());
    assertEquals("HUB_USER and HUB_TOKEN are not set", hubWithout.reason());
    assertFalse(ecr.holds(), ecr.reason());
    assertFalse(pr.holds(), pr.reason());
  }

  @Test
  @DisplayName("reads layer directories and archives from the file's folder, not the working one")
  void relativePaths() throws IOException {
    Files.createDirectories(folder.resolve("app"));
    Path file =
        write(
            """
            image:
              base: 127.0.0.1:1/base/image:1
              layers:
                - directory: app
                - directory: app
                  path: /srv/app
              entrypoint: [/app/run.sh, --verbose]
              credentials: {username: BASE_USER, password: BASE_TOKEN}
            """);
    List<String> problems = new ArrayList<>();

    ImageSection image =
        PipelineFileReader.read(file, problems).orElseThrow().image().orElseThrow();

    assertEquals(folder.resolve("app"), image.layers().get(0).directory());
    assertEquals("/app", image.layers().get(0).pathInImage().toString());
    assertEquals("/srv/app", image.layers().get(1).pathInImage().toString());
    assertEquals(Optional.of("127.0.0.1:1/base/image:1"), image.base());
    assertEquals(List.of("/app/run.sh", "--verbose"), image.entrypoint());
    assertTrue(image.credentials().isPresent());
  }

  @Test
  @DisplayName("refuses a file larger than a config file ever is, before parsing it")
  void size() throws IOException {
    Path file = folder.resolve("huge.yml");
    Files.writeString(file, "# " + "x".repeat(PipelineFileReader.MAX_BYTES) + "\n");
    List<String> problems = new ArrayList<>();

    PipelineFileReader.read(file, problems);

    assertEquals(List.of(file + ": is larger than 256 KiB; a config file is not"), problems);
  }

  private Path write(String yaml) throws IOException {
    Path file = Files.createTempFile(folder, "fanout", ".yml");
    Files.writeString(file, yaml);
    return file;
  }
}
