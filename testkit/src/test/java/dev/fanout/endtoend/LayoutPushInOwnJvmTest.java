package dev.fanout.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.testkit.LocalRegistry;
import dev.fanout.testkit.OciLayouts;
import dev.fanout.testkit.RegistryChecker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layout pushed to three registries by {@link PushLayoutMain} in a JVM of its own: with a heap
 * far smaller than its layer, and with what the process reads measured by the kernel, neither of
 * which a test can set or see apart in the JVM it runs in.
 */
@DisplayName("A layout pushed to three registries in a JVM of its own")
class LayoutPushInOwnJvmTest {

  private static final int ONE_GIB_IN_MIB = 1024;
  private static final int REGISTRIES = 3;
  private static final String IMAGE = "big/app:1";

  /**
   * A completed blob upload in Distribution's access log: the closing {@code PUT} of a session, its
   * digest in the query (the colon percent-encoded), answered 201 Created.
   */
  private static final Pattern UPLOADED =
      Pattern.compile(
          "\"PUT /v2/big/app/blobs/uploads/[^ ]*digest=sha256(?::|%3A)([0-9a-f]{64})[^\"]*\" 201 ");

  @TempDir Path temp;

  @Test
  @DisplayName("a 1 GiB layer lands on all three under -Xmx256m with the layout's digest")
  void oneGibibyteLayerUnderSmallHeap() throws Exception {
    OciLayouts.Layout layout = OciLayouts.bigLayer(temp.resolve("big"), ONE_GIB_IN_MIB, 42);
    assertTrue(blobBytes(layout) > ONE_GIB_IN_MIB * 1024L * 1024);
    try (Registries registries = Registries.start()) {
      List<String> lines = push(List.of("-Xmx256m"), layout, registries);

      assertHeapAtMost(256, lines);
      assertEquals("digest " + layout.digest(), lines.get(2), String.join("\n", lines));
      for (LocalRegistry registry : registries.all) {
        assertEquals(
            Optional.of(layout.digest()),
            RegistryChecker.manifestDigest(registry.host(), "big/app", "1", Optional.empty()),
            registry.host());
      }
    }
  }

  /**
   * The run reads each blob once to hash it and once per target to upload it: four readings of the
   * blobs for three targets. Hashing per target would need six; the kernel's count of bytes the
   * process read ({@code rchar}) tells them apart, without any hook in Fanout. The registries' logs
   * show each blob uploaded exactly once to each.
   */
  @Test
  @DisplayName(
      "each blob is read once to hash it and once per registry to upload it, and uploaded once to"
          + " each registry")
  void eachBlobHashedOncePerRun() throws Exception {
    OciLayouts.Layout layout = OciLayouts.bigLayer(temp.resolve("hashed"), 64, 7);
    long blobs = blobBytes(layout);
    try (Registries registries = Registries.start()) {
      List<String> lines = push(List.of(), layout, registries);

      assertTrue(lines.get(1).startsWith("read-bytes "), lines.get(1));
      long read = Long.parseLong(lines.get(1).substring("read-bytes ".length()));
      String figures = "read " + read + " bytes for " + blobs + " bytes of blobs";
      assertTrue(read >= (REGISTRIES + 1) * blobs, "every upload and one hash read: " + figures);
      assertTrue(read < (REGISTRIES + 2) * blobs, "no second hash read: " + figures);
      Map<String, Integer> once = new TreeMap<>();
      layout.blobs().forEach(blob -> once.put(blob, 1));
      for (LocalRegistry registry : registries.all) {
        assertEquals(once, uploads(registry.log()), registry.host() + ":\n" + registry.log());
        assertEquals(
            Optional.of(layout.digest()),
            RegistryChecker.manifestDigest(registry.host(), "big/app", "1", Optional.empty()),
            registry.host());
      }
    }
  }

  /** Three plain registries, stopped together. */
  private static final class Registries implements AutoCloseable {
    private final List<LocalRegistry> all = new ArrayList<>();

    static Registries start() {
      Registries registries = new Registries();
      for (int i = 0; i < REGISTRIES; i++) {
        registries.all.add(LocalRegistry.plain().start());
      }
      return registries;
    }

    @Override
    public void close() {
      all.forEach(LocalRegistry::close);
    }
  }

  /** The blobs the registry's log shows uploaded, each with how many times. */
  private static Map<String, Integer> uploads(String log) {
    Map<String, Integer> uploads = new TreeMap<>();
    Matcher uploaded = UPLOADED.matcher(log);
    while (uploaded.find()) {
      uploads.merge("sha256:" + uploaded.group(1), 1, Integer::sum);
    }
    return uploads;
  }

  private static long blobBytes(OciLayouts.Layout layout) throws IOException {
    long bytes = 0;
    for (String blob : layout.blobs()) {
      bytes += Files.size(layout.path().resolve("blobs/sha256/" + blob.substring(7)));
    }
    return bytes;
  }

  /** The pushing JVM had no more heap than asked (some collectors report a little less). */
  private static void assertHeapAtMost(int mebibytes, List<String> lines) {
    assertTrue(lines.get(0).startsWith("heap-mib "), lines.get(0));
    int heap = Integer.parseInt(lines.get(0).substring("heap-mib ".length()));
    assertTrue(heap <= mebibytes, lines.get(0));
  }

  /** Runs {@link PushLayoutMain}; asserts it exits 0 and returns what it printed. */
  private List<String> push(List<String> jvmOptions, OciLayouts.Layout layout, Registries to)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            PushLayoutMain.class.getName(),
            layout.path().toString(),
            IMAGE));
    to.all.forEach(registry -> command.add(registry.host()));
    Path output = Files.createTempFile(temp, "push-", ".out");
    Path errors = Files.createTempFile(temp, "push-", ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(output.toFile())
            .redirectError(errors.toFile())
            .start();
    boolean finished = process.waitFor(5, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly();
    }
    String printed =
        Files.readString(output, StandardCharsets.UTF_8)
            + Files.readString(errors, StandardCharsets.UTF_8);
    assertTrue(finished, "the push did not finish: " + printed);
    assertEquals(0, process.exitValue(), printed);
    return Files.readAllLines(output, StandardCharsets.UTF_8);
  }
}
