package dev.fanout.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.testkit.DockerArchives;
import dev.fanout.testkit.OciLayouts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads images in a JVM of its own ({@link ReadImageMain}), started with a small heap or the C
 * locale, which a test cannot change in the JVM it runs in.
 */
@DisplayName("Reading in a JVM of its own")
class OwnJvmReadTest {

  private static final int ONE_GIB_IN_MIB = 1024;

  @TempDir Path temp;

  @Test
  @DisplayName("a layout folder with a 1 GiB layer reads under -Xmx256m with the layout's digests")
  void readsOneGibibyteUnderSmallHeap() throws IOException, InterruptedException {
    OciLayouts.Layout layout = OciLayouts.bigLayer(temp.resolve("big"), ONE_GIB_IN_MIB, 42);
    assertTrue(
        Files.size(layout.path().resolve("blobs/sha256/" + layout.blobs().get(1).substring(7)))
            > ONE_GIB_IN_MIB * 1024L * 1024);
    List<String> lines = run(List.of("-Xmx256m"), Map.of(), "layout", layout.path().toString());
    assertHeapAtMost(256, lines);
    assertEquals(expectedLines(layout), lines.subList(2, lines.size()));
  }

  /**
   * A tar layout's blobs are regions of the tar, read in place: a layer four times the heap proves
   * nothing is extracted into memory. (128 MiB, not 1 GiB, to keep the test's time small: the tar
   * is a second copy on disk.)
   */
  @Test
  @DisplayName("a layout tar with a 128 MiB layer reads under -Xmx32m with the layout's digests")
  void readsTarInPlaceUnderSmallHeap() throws IOException, InterruptedException {
    OciLayouts.Layout layout = OciLayouts.bigLayer(temp.resolve("big"), 128, 7);
    Path tar = OciLayouts.asTar(layout.path(), temp.resolve("big.tar"));
    List<String> lines = run(List.of("-Xmx32m"), Map.of(), "layout", tar.toString());
    assertHeapAtMost(32, lines);
    assertEquals(expectedLines(layout), lines.subList(2, lines.size()));
  }

  @Test
  @DisplayName("under LANG=C and an ASCII default charset, a buildx layout keeps every digest")
  void readsUnderCLocale() throws IOException, InterruptedException {
    OciLayouts.Layout layout = OciLayouts.buildx(temp.resolve("buildx"));
    List<String> lines =
        run(
            List.of("-Dfile.encoding=ANSI_X3.4-1968"),
            Map.of("LANG", "C", "LC_ALL", "C"),
            "layout",
            layout.path().toString());
    assertEquals("charset US-ASCII", lines.get(1));
    assertEquals(expectedLines(layout), lines.subList(2, lines.size()));
  }

  @Test
  @DisplayName("under LANG=C a docker archive gives the digest it gives here")
  void readsArchiveUnderCLocale() throws IOException, InterruptedException {
    DockerArchives.Archive archive = DockerArchives.dockerSave(temp.resolve("a.tar"), "demo/app:1");
    List<String> here =
        run(
            List.of(),
            Map.of(),
            "archive",
            archive.path().toString(),
            temp.resolve("w1").toString());
    List<String> there =
        run(
            List.of("-Dfile.encoding=ANSI_X3.4-1968"),
            Map.of("LANG", "C", "LC_ALL", "C"),
            "archive",
            archive.path().toString(),
            temp.resolve("w2").toString());
    assertEquals(here.subList(2, here.size()), there.subList(2, there.size()));
  }

  /** The reader's JVM had no more heap than asked (some collectors report a little less). */
  private static void assertHeapAtMost(int mebibytes, List<String> lines) {
    assertTrue(lines.get(0).startsWith("heap-mib "), lines.get(0));
    int heap = Integer.parseInt(lines.get(0).substring("heap-mib ".length()));
    assertTrue(heap <= mebibytes, lines.get(0));
  }

  private static List<String> expectedLines(OciLayouts.Layout layout) {
    List<String> lines = new ArrayList<>(List.of("root " + layout.digest()));
    layout.manifests().forEach(digest -> lines.add("manifest " + digest));
    layout.blobs().forEach(digest -> lines.add("blob " + digest));
    return lines;
  }

  private List<String> run(
      List<String> jvmOptions, Map<String, String> environment, String... arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), ReadImageMain.class.getName()));
    command.addAll(List.of(arguments));
    Path output = Files.createTempFile(temp, "read-", ".out");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    boolean finished = process.waitFor(5, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly();
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertTrue(finished, "the reader did not finish: " + printed);
    assertEquals(0, process.exitValue(), printed);
    return printed.lines().toList();
  }
}
