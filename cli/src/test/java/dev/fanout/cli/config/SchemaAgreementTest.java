package dev.fanout.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The JSON schema that editors check {@code fanout.yml} with agrees with the reader: what the
 * reader accepts, the schema accepts, and what the reader refuses for its shape, the schema
 * refuses.
 */
@DisplayName("The config file's JSON schema")
class SchemaAgreementTest {

  /** Where the schema ships: at the root of the command's jar. */
  static final String SCHEMA = "/fanout.schema.json";

  /** A target the reader accepts, which each refused case spoils in one place. */
  private static final String VALID_TARGET = "targets:\n  - to: 127.0.0.1:5000/acme/app\n";

  private static JsonSchema schema;

  @TempDir Path folder;

  @BeforeAll
  static void loadSchema() throws IOException {
    try (InputStream in = SchemaAgreementTest.class.getResourceAsStream(SCHEMA)) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
    }
  }

  @Test
  @DisplayName("accepts examples/fanout.yml, which the reader accepts too")
  void example() throws IOException {
    Path example = Path.of("..", "examples", "fanout.yml");

    assertEquals(List.of(), readerProblems(example));
    assertEquals(Set.of(), schemaProblems(Files.readString(example)));
  }

  @Test
  @DisplayName("the worked release of docs/config-file.md is examples/fanout.yml, comments aside")
  void documentedExample() throws IOException {
    String page = Files.readString(Path.of("..", "docs", "config-file.md"));
    int start = page.indexOf("```yaml\n# yaml-language-server:");
    String documented =
        page.substring(start + "```yaml\n".length(), page.indexOf("```", start + 3));

    assertEquals(
        withoutComments(Files.readString(Path.of("..", "examples", "fanout.yml"))),
        withoutComments(documented));
  }

  private static List<String> withoutComments(String yaml) {
    return yaml.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  @DisplayName("accepts what the reader accepts")
  void accepts(String description, String yaml) throws IOException {
    Files.createDirectories(folder.resolve("app"));

    assertEquals(List.of(), readerProblems(write(yaml)), description);
    assertEquals(Set.of(), schemaProblems(yaml), description);
  }

  static Stream<Object[]> accepted() {
    return Stream.of(
        new Object[] {
          "one variable as credentialPresent",
          VALID_TARGET + "    when: {credentialPresent: TOKEN}\n"
        },
        new Object[] {
          "a built image with a layer and an entrypoint",
          "image:\n  layers: [{directory: app, path: /srv}]\n  entrypoint: [/srv/run]\n"
              + VALID_TARGET
        },
        new Object[] {
          "two platforms, one with a variant",
          "image:\n  layers: [{directory: app}]\n  platforms: [linux/amd64, linux/arm64/v8]\n"
              + VALID_TARGET
        },
        new Object[] {"a quoted version as a tag", "tags: ['1.0', latest]\n" + VALID_TARGET},
        new Object[] {
          "backend options of every scalar kind",
          VALID_TARGET + "    options: {ecr.createRepository: true, x.count: 3, x.name: text}\n"
        },
        new Object[] {
          "a nested condition",
          VALID_TARGET + "    when: {or: [{branch: main}, {not: {pullRequest: true}}]}\n"
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  @DisplayName("refuses what the reader refuses")
  void refuses(String description, String yaml) throws IOException {
    List<String> reader = readerProblems(write(yaml));
    Set<ValidationMessage> schemaSays = schemaProblems(yaml);

    assertFalse(reader.isEmpty(), description + ": the reader accepted it");
    assertFalse(
        schemaSays.isEmpty(), description + ": the schema accepted it; the reader said " + reader);
  }

  static Stream<Object[]> refused() {
    return Stream.of(
        new Object[] {"an unknown top-level key", VALID_TARGET + "colour: blue\n"},
        new Object[] {"an unknown target key", VALID_TARGET + "    tag: latest\n"},
        new Object[] {"a target without to", "targets:\n  - name: hub\n"},
        new Object[] {"an unknown tag rule", "tagRules: [semvr]\n" + VALID_TARGET},
        new Object[] {"an empty list of tags", VALID_TARGET + "    tags: []\n"},
        new Object[] {"a tag YAML reads as a number", "tags: [1.0]\n" + VALID_TARGET},
        new Object[] {"an unknown condition", VALID_TARGET + "    when: {brnch: main}\n"},
        new Object[] {"an empty condition", VALID_TARGET + "    when: {}\n"},
        new Object[] {"a flag given as text", VALID_TARGET + "    optional: 'yes'\n"},
        new Object[] {
          "a value where a variable's name belongs",
          VALID_TARGET + "    credentials: {username: robot, password: hunter2!}\n"
        },
        new Object[] {
          "credentials without a password", VALID_TARGET + "    credentials: {username: U}\n"
        },
        new Object[] {"no retry attempt", VALID_TARGET + "retry: {maxAttempts: 0}\n"},
        new Object[] {"a duration in words", VALID_TARGET + "retry: {deadline: 10 minutes}\n"},
        new Object[] {"jitter above 1", VALID_TARGET + "retry: {jitter: 1.5}\n"},
        new Object[] {
          "an unknown source kind", "image: {from: 'tarball:app.tar'}\n" + VALID_TARGET
        },
        new Object[] {
          "a source beside layers",
          "image: {from: 'oci:x', layers: [{directory: .}]}\n" + VALID_TARGET
        },
        new Object[] {
          "an image that names nothing", "image: {entrypoint: [/run]}\n" + VALID_TARGET
        },
        new Object[] {
          "a platform without its architecture",
          "image: {layers: [{directory: .}], platforms: [linux]}\n" + VALID_TARGET
        },
        new Object[] {
          "a relative path in the image",
          "image: {layers: [{directory: ., path: srv}]}\n" + VALID_TARGET
        });
  }

  private List<String> readerProblems(Path file) {
    List<String> problems = new ArrayList<>();
    PipelineFileReader.read(file, problems);
    return problems;
  }

  /** Validates the document as an editor does: YAML read with the core schema, then as JSON. */
  private static Set<ValidationMessage> schemaProblems(String yaml) {
    Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    JsonNode json = new ObjectMapper().valueToTree(document);
    return schema.validate(json);
  }

  private Path write(String yaml) throws IOException {
    Path file = Files.createTempFile(folder, "fanout", ".yml");
    Files.writeString(file, yaml);
    return file;
  }
}
