package dev.fanout.internal.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("OciLayout and nested indexes")
class OciLayoutNestingTest {

  @TempDir Path layout;

  private String write(String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    String digest = Digests.of(bytes);
    Files.createDirectories(layout.resolve("blobs/sha256"));
    Files.write(layout.resolve("blobs/sha256/" + digest.substring(7)), bytes);
    return "{\"mediaType\":\""
        + MediaTypes.OCI_INDEX
        + "\",\"digest\":\""
        + digest
        + "\",\"size\":"
        + bytes.length
        + "}";
  }

  /** Indexes {@code depth} deep, each listing the next, the last listing nothing. */
  private void chainOfIndexes(int depth) throws IOException {
    String entry = write("{\"schemaVersion\":2,\"manifests\":[]}");
    for (int i = 1; i < depth; i++) {
      entry = write("{\"schemaVersion\":2,\"manifests\":[" + entry + "]}");
    }
    Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(layout.resolve("index.json"), "{\"manifests\":[" + entry + "]}");
  }

  @Test
  @DisplayName("indexes nested nine deep are read whole, innermost first")
  void readsDeepNesting() throws IOException {
    chainOfIndexes(OciLayout.MAX_NESTING + 1);
    ImageInHand image = OciLayout.read(layout, Optional.empty());
    assertEquals(OciLayout.MAX_NESTING + 1, image.manifests().size());
    assertEquals(image.digest(), image.manifests().get(OciLayout.MAX_NESTING).digest());
  }

  @Test
  @DisplayName("indexes nested deeper than the limit are refused instead of recursing on")
  void refusesDeeperNesting() throws IOException {
    chainOfIndexes(OciLayout.MAX_NESTING + 2);
    ImageReadException refused =
        assertThrows(ImageReadException.class, () -> OciLayout.read(layout, Optional.empty()));
    assertEquals(1, refused.problems().size(), refused.getMessage());
    assertTrue(
        refused.problems().get(0).startsWith("indexes nest more than 8 deep"),
        refused.getMessage());
  }

  @Test
  @DisplayName("a child whose media type is not a manifest or index is refused, naming it")
  void refusesOtherMediaTypes() throws IOException {
    String child = write("{}").replace(MediaTypes.OCI_INDEX, "application/vnd.example+json");
    String root = write("{\"schemaVersion\":2,\"manifests\":[" + child + "]}");
    Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(layout.resolve("index.json"), "{\"manifests\":[" + root + "]}");
    List<String> problems = OciLayout.problems(layout, Optional.empty());
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(
        problems
            .get(0)
            .endsWith(
                "has media type 'application/vnd.example+json', not an image manifest or index"),
        problems.get(0));
  }

  @Test
  @DisplayName("a path that does not exist is one clear problem")
  void refusesMissingPath() {
    assertEquals(
        List.of("it does not exist"),
        OciLayout.problems(layout.resolve("absent.tar"), Optional.empty()));
  }
}
