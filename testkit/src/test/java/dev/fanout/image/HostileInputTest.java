package dev.fanout.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.internal.image.DockerArchive;
import dev.fanout.internal.image.ImageReadException;
import dev.fanout.internal.image.OciLayout;
import dev.fanout.testkit.DockerArchives;
import dev.fanout.testkit.HostileLayouts;
import dev.fanout.testkit.OciLayouts;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Hostile archives and layouts are refused before anything is built")
class HostileInputTest {

  private static final String SECRET = "FANOUT-TEST-SECRET-7f3a";

  /**
   * Opening a FIFO for reading blocks until a writer comes, and none ever does: a reader that
   * followed a link to it would hang, so returning at all proves it never opened the target.
   */
  private static final Duration NEVER_BLOCKS = Duration.ofSeconds(30);

  @TempDir Path temp;

  private Path secretFile;
  private Path fifo;

  @BeforeEach
  void outsideFiles() throws IOException, InterruptedException {
    secretFile = Files.writeString(temp.resolve("outside-secret.txt"), SECRET);
    fifo = temp.resolve("outside-fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
  }

  private static ImageReadException refusedArchive(Path archive, Path work) {
    return assertTimeoutPreemptively(
        NEVER_BLOCKS,
        () ->
            assertThrows(
                ImageReadException.class,
                () -> DockerArchive.read(archive, Optional.empty(), work)));
  }

  private static ImageReadException refusedLayout(Path layout) {
    return assertTimeoutPreemptively(
        NEVER_BLOCKS,
        () ->
            assertThrows(ImageReadException.class, () -> OciLayout.read(layout, Optional.empty())));
  }

  private static void assertListed(ImageReadException refused, String expected) {
    assertTrue(
        refused.problems().stream().anyMatch(problem -> problem.contains(expected)),
        "expected a problem containing <" + expected + "> in " + refused.getMessage());
    assertTrue(refused.getMessage().contains(refused.source().toString()), refused.getMessage());
    assertFalse(refused.getMessage().contains(SECRET), refused.getMessage());
  }

  @Nested
  @DisplayName("docker archives")
  class DockerArchiveInputs {

    @Test
    @DisplayName(
        "a layer path with '..' in manifest.json is refused by the plan's check and the read")
    void parentPath() {
      Path archive = DockerArchives.withLayerPath(temp.resolve("a.tar"), "../outside-secret.txt");
      String expected = "'../outside-secret.txt' has a '..' segment";
      assertTrue(DockerArchive.problems(archive, Optional.empty()).contains(expected));
      assertListed(refusedArchive(archive, temp.resolve("work")), expected);
      assertFalse(Files.exists(temp.resolve("work")), "nothing is written before the checks pass");
    }

    @Test
    @DisplayName("an absolute layer path in manifest.json is refused")
    void absolutePath() {
      Path archive = DockerArchives.withLayerPath(temp.resolve("a.tar"), secretFile.toString());
      assertListed(
          refusedArchive(archive, temp.resolve("work")),
          "'" + secretFile + "' is an absolute path");
    }

    @Test
    @DisplayName(
        "a layer entry that is a symbolic link to /proc/self/environ is refused, never read")
    void symlinkToEnvironment() {
      Path archive = DockerArchives.withSymlinkLayer(temp.resolve("a.tar"), "/proc/self/environ");
      ImageReadException refused = refusedArchive(archive, temp.resolve("work"));
      assertListed(refused, "is a symbolic link to '/proc/self/environ'");
      assertListed(refused, "/layer.tar' is missing or not a plain file");
    }

    @Test
    @DisplayName(
        "a layer entry linking to a FIFO or a secret outside is refused without opening it")
    void symlinkOutside() {
      Path toFifo = DockerArchives.withSymlinkLayer(temp.resolve("f.tar"), fifo.toString());
      assertListed(refusedArchive(toFifo, temp.resolve("w1")), "is a symbolic link");
      Path toSecret =
          DockerArchives.withSymlinkLayer(temp.resolve("s.tar"), "../../outside-secret.txt");
      assertListed(refusedArchive(toSecret, temp.resolve("w2")), "is a symbolic link");
    }

    @Test
    @DisplayName("a hard link entry is refused")
    void hardLink() {
      Path archive = DockerArchives.withHardLinkLayer(temp.resolve("a.tar"), "etc/passwd");
      assertListed(refusedArchive(archive, temp.resolve("work")), "is a hard link to 'etc/passwd'");
    }

    @Test
    @DisplayName("an entry named with '..' and a device entry are both listed in one message")
    void everyProblemAtOnce() {
      Path archive = DockerArchives.withExtraEntry(temp.resolve("a.tar"), "../escape.txt", true);
      ImageReadException refused = refusedArchive(archive, temp.resolve("work"));
      assertListed(refused, "entry '../escape.txt' has a '..' segment");
      assertListed(refused, "entry 'dev/null' is a device");
      assertEquals(2, refused.problems().size(), refused.getMessage());
    }

    @Test
    @DisplayName("an entry with an absolute name is refused")
    void absoluteEntry() {
      Path archive =
          DockerArchives.withExtraEntry(temp.resolve("a.tar"), "/tmp/fanout-absolute.txt", false);
      assertListed(
          refusedArchive(archive, temp.resolve("work")),
          "entry '/tmp/fanout-absolute.txt' is an absolute path");
    }

    @Test
    @DisplayName("a gzip-compressed tarball is refused with a hint, not misread")
    void compressedArchive() throws IOException {
      Path plain = DockerArchives.dockerSave(temp.resolve("a.tar"), "demo/app:1").path();
      Path gzipped = temp.resolve("a.tar.gz");
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
        Files.copy(plain, out);
      }
      assertListed(refusedArchive(gzipped, temp.resolve("work")), "it is gzip-compressed");
    }
  }

  @Nested
  @DisplayName("OCI layouts")
  class LayoutInputs {

    private OciLayouts.Layout layout;
    private String layer;

    @BeforeEach
    void layout() {
      layout = OciLayouts.singleManifest(temp.resolve("layout"));
      layer = layout.blobs().get(1);
    }

    @Test
    @DisplayName("a blob that is a symbolic link to a secret outside is refused and not read")
    void blobLinkedToSecret() {
      HostileLayouts.linkBlobOutside(layout, layer, secretFile);
      String expected = "'blobs/sha256/" + layer.substring(7) + "' is a symbolic link";
      assertTrue(
          OciLayout.problems(layout.path(), Optional.empty()).stream()
              .anyMatch(problem -> problem.contains(expected)));
      assertListed(refusedLayout(layout.path()), expected);
    }

    @Test
    @DisplayName("a blob that is a symbolic link to a FIFO is refused without opening it")
    void blobLinkedToFifo() {
      HostileLayouts.linkBlobOutside(layout, layer, fifo);
      assertListed(refusedLayout(layout.path()), "is a symbolic link");
    }

    @Test
    @DisplayName("a blobs folder that is a symbolic link out of the layout is refused")
    void blobsFolderLinked() throws IOException {
      Path outside = temp.resolve("outside-blobs");
      Files.move(layout.path().resolve("blobs"), outside);
      Files.createSymbolicLink(layout.path().resolve("blobs"), outside);
      assertListed(refusedLayout(layout.path()), "'blobs' is a symbolic link");
    }

    @Test
    @DisplayName(
        "a blob whose content is not its digest is refused by the read, naming both digests")
    void tamperedBlob() {
      HostileLayouts.tamper(layout, layer);
      assertEquals(
          List.of(),
          OciLayout.problems(layout.path(), Optional.empty()),
          "the cheap check does not hash blobs");
      assertListed(
          refusedLayout(layout.path()), "blob " + layer + " holds content whose digest is sha256:");
    }

    @Test
    @DisplayName("a manifest whose content is not its digest is refused by the cheap check already")
    void tamperedManifest() {
      HostileLayouts.tamper(layout, layout.digest());
      List<String> problems = OciLayout.problems(layout.path(), Optional.empty());
      assertEquals(1, problems.size(), problems.toString());
      assertTrue(
          problems
              .get(0)
              .startsWith("manifest " + layout.digest() + " holds content whose digest is sha256:"),
          problems.get(0));
    }

    @Test
    @DisplayName("a blob of another size, a missing blob and a missing oci-layout are all listed")
    void everyProblemAtOnce() throws IOException {
      HostileLayouts.grow(layout, layer);
      HostileLayouts.remove(layout, layout.blobs().get(2));
      Files.delete(layout.path().resolve("oci-layout"));
      ImageReadException refused = refusedLayout(layout.path());
      assertListed(refused, "'oci-layout' is missing");
      assertListed(refused, "blob " + layer + " is ");
      assertListed(
          refused,
          "blob "
              + layout.blobs().get(2)
              + " of manifest "
              + layout.digest()
              + ": 'blobs/sha256/"
              + layout.blobs().get(2).substring(7)
              + "' is missing");
      assertEquals(3, refused.problems().size(), refused.getMessage());
    }

    @Test
    @DisplayName(
        "a layout tar whose blob entry is a symbolic link to /proc/self/environ is refused")
    void tarWithSymlink() {
      Path tar =
          HostileLayouts.asTarWithSymlink(
              layout, temp.resolve("l.tar"), layer, "/proc/self/environ");
      ImageReadException refused = refusedLayout(tar);
      assertListed(
          refused,
          "entry 'blobs/sha256/"
              + layer.substring(7)
              + "' is a symbolic link to '/proc/self/environ'");
    }

    @Test
    @DisplayName("a layout tar with an entry named '../' or absolute is refused")
    void tarWithEscapingNames() {
      Path parent = HostileLayouts.asTarWithExtraEntry(layout, temp.resolve("p.tar"), "../x");
      assertListed(refusedLayout(parent), "entry '../x' has a '..' segment");
      Path absolute = HostileLayouts.asTarWithExtraEntry(layout, temp.resolve("a.tar"), "/etc/x");
      assertListed(refusedLayout(absolute), "entry '/etc/x' is an absolute path");
    }

    @Test
    @DisplayName("a layout tar holding index.json twice is refused: which one counts is unclear")
    void tarWithDuplicateEntry() {
      Path tar = HostileLayouts.asTarWithExtraEntry(layout, temp.resolve("d.tar"), "./index.json");
      ImageReadException refused = refusedLayout(tar);
      assertListed(refused, "entry 'index.json' appears more than once");
    }
  }
}
