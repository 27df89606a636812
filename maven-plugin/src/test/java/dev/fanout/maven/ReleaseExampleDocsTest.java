package dev.fanout.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The documentation's complete POM is the example that {@link MavenBuildIT} builds, so the page
 * cannot drift from what the build checks.
 */
class ReleaseExampleDocsTest {

  /** Surefire runs in the module's folder. */
  private static final Path REPOSITORY = Path.of("..");

  @Test
  @DisplayName(
      "docs/maven-plugin.md shows examples/maven-plugin/pom.xml as it is, without its XML"
          + " declaration and opening comment")
  void docsShowTheExample() throws IOException {
    String pom = read("examples/maven-plugin/pom.xml");
    String docs = read("docs/maven-plugin.md");
    int project = pom.indexOf("<project ");
    assertTrue(project > 0 && pom.substring(0, project).contains("-->"), "an opening comment");

    int start = docs.indexOf("```xml\n<project ");
    assertTrue(start >= 0, "docs/maven-plugin.md has no POM");
    int from = start + "```xml\n".length();
    String shown = docs.substring(from, docs.indexOf("\n```", from) + 1);

    assertEquals(pom.substring(project), shown);
  }

  private static String read(String file) throws IOException {
    return Files.readString(REPOSITORY.resolve(file), StandardCharsets.UTF_8);
  }
}
