package dev.fanout.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.internal.image.Blob;
import dev.fanout.internal.image.DockerArchive;
import dev.fanout.internal.image.ImageInHand;
import dev.fanout.internal.image.ImageReadException;
import dev.fanout.internal.image.MediaTypes;
import dev.fanout.testkit.DockerArchives;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("DockerArchive reads docker save tarballs")
class DockerArchiveReaderTest {

  @TempDir Path temp;

  @Test
  @DisplayName(
      "gives a Docker v2s2 manifest over the archive's exact config and gzip layers whose diff_ids match")
  void readsArchive() throws IOException {
    DockerArchives.Archive archive = DockerArchives.dockerSave(temp.resolve("a.tar"), "demo/app:1");
    ImageInHand image = DockerArchive.read(archive.path(), Optional.empty(), temp.resolve("work"));

    assertEquals(MediaTypes.DOCKER_MANIFEST, image.root().mediaType());
    assertEquals(List.of(image.root()), image.manifests());
    JsonNode manifest = new ObjectMapper().readTree(image.root().bytes());
    assertEquals(archive.configDigest(), manifest.at("/config/digest").asText());
    assertEquals(
        "application/vnd.docker.container.image.v1+json",
        manifest.at("/config/mediaType").asText());
    List<Blob> blobs = List.copyOf(image.blobs().values());
    assertEquals(archive.configDigest(), blobs.get(0).digest());
    assertEquals(archive.configDigest(), digest(blobs.get(0), false));
    List<String> diffIds = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Blob layer = blobs.get(i + 1);
      assertEquals(layer.digest(), manifest.at("/layers/" + i + "/digest").asText());
      assertEquals(layer.size(), manifest.at("/layers/" + i + "/size").asLong());
      assertEquals(layer.digest(), digest(layer, false));
      diffIds.add(digest(layer, true));
    }
    assertEquals(archive.diffIds(), diffIds);
  }

  @Test
  @DisplayName("the same archive read twice, into two work folders, gives the same digest")
  void isDeterministic() {
    DockerArchives.Archive archive = DockerArchives.dockerSave(temp.resolve("a.tar"), "demo/app:1");
    ImageInHand first = DockerArchive.read(archive.path(), Optional.empty(), temp.resolve("w1"));
    ImageInHand second = DockerArchive.read(archive.path(), Optional.empty(), temp.resolve("w2"));
    assertEquals(first.digest(), second.digest());
    assertArrayEquals(first.root().bytes(), second.root().bytes());
  }

  @Test
  @DisplayName("writes compressed layers only into the work folder it is given, named by digest")
  void writesOnlyToWorkFolder() throws IOException {
    DockerArchives.Archive archive = DockerArchives.dockerSave(temp.resolve("a.tar"), "demo/app:1");
    Path work = temp.resolve("work");
    ImageInHand image = DockerArchive.read(archive.path(), Optional.empty(), work);
    List<String> written;
    try (Stream<Path> files = Files.list(work)) {
      written = files.map(path -> path.getFileName().toString()).sorted().toList();
    }
    List<String> expected =
        image.blobs().keySet().stream()
            .skip(1)
            .map(digest -> "layer-" + digest.substring(7) + ".tar.gz")
            .sorted()
            .toList();
    assertEquals(expected, written);
    try (Stream<Path> files = Files.list(temp)) {
      assertEquals(
          List.of("a.tar", "work"),
          files.map(path -> path.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  @DisplayName(
      "a work folder reused after a poisoned file was planted under a layer's name still gives the true layer")
  void neverTrustsWhatIsInTheWorkFolder() throws IOException {
    DockerArchives.Archive archive = DockerArchives.dockerSave(temp.resolve("a.tar"), "demo/app:1");
    Path work = temp.resolve("work");
    ImageInHand first = DockerArchive.read(archive.path(), Optional.empty(), work);
    Blob layer = List.copyOf(first.blobs().values()).get(1);
    Path file = work.resolve("layer-" + layer.digest().substring(7) + ".tar.gz");
    Files.writeString(file, "poisoned by an earlier hostile run");

    ImageInHand second = DockerArchive.read(archive.path(), Optional.empty(), work);

    Blob again = second.blobs().get(layer.digest());
    assertEquals(layer.digest(), digest(again, false));
    assertEquals(first.digest(), second.digest());
  }

  @Test
  @DisplayName("a layer already gzip-compressed is kept as it is, read in place")
  void keepsGzipLayers() throws IOException {
    DockerArchives.Archive gzip = DockerArchives.withGzipLayer(temp.resolve("g.tar"), "demo/app:1");
    Path work = temp.resolve("work");
    ImageInHand image = DockerArchive.read(gzip.path(), Optional.empty(), work);
    List<Blob> blobs = List.copyOf(image.blobs().values());
    assertEquals(gzip.diffIds().get(1), digest(blobs.get(2), true));
    try (Stream<Path> files = Files.list(work)) {
      assertEquals(
          List.of("layer-" + blobs.get(1).digest().substring(7) + ".tar.gz"),
          files.map(path -> path.getFileName().toString()).toList(),
          "only the uncompressed layer is compressed");
    }
  }

  @Test
  @DisplayName(
      "of two images, the one with the repo tag given is read; with none, refused listing the tags")
  void choosesByRepoTag() {
    DockerArchives.Archive archive =
        DockerArchives.twoImages(temp.resolve("two.tar"), "demo/first:1", "demo/second:2");
    ImageInHand first =
        DockerArchive.read(archive.path(), Optional.of("demo/first:1"), temp.resolve("w1"));
    ImageInHand second =
        DockerArchive.read(archive.path(), Optional.of("demo/second:2"), temp.resolve("w2"));
    assertEquals(archive.configDigest(), first.blobs().keySet().iterator().next());
    assertNotEquals(first.digest(), second.digest());

    ImageReadException refused =
        assertThrows(
            ImageReadException.class,
            () -> DockerArchive.read(archive.path(), Optional.empty(), temp.resolve("w3")));
    assertTrue(
        refused
            .getMessage()
            .contains(
                "manifest.json lists 2 images, so one must be chosen by repo tag: 'demo/first:1', "
                    + "'demo/second:2'"),
        refused.getMessage());
    assertEquals(
        List.of(
            "manifest.json has no images tagged 'demo/third:3' (its tags: "
                + "'demo/first:1', 'demo/second:2')"),
        DockerArchive.problems(archive.path(), Optional.of("demo/third:3")));
  }

  @Test
  @DisplayName("a diff_id that does not match its layer is refused, naming the layer")
  void refusesWrongDiffId() {
    Path archive = DockerArchives.withWrongDiffId(temp.resolve("bad.tar"));
    assertEquals(
        List.of(),
        DockerArchive.problems(archive, Optional.empty()),
        "the cheap check does not read layers");
    ImageReadException refused =
        assertThrows(
            ImageReadException.class,
            () -> DockerArchive.read(archive, Optional.empty(), temp.resolve("work")));
    assertEquals(1, refused.problems().size(), refused.getMessage());
    assertTrue(
        refused
            .problems()
            .get(0)
            .matches(
                "layer '[0-9a-f]{64}/layer.tar' has diff_id sha256:[0-9a-f]{64}, but the config lists "
                    + "'sha256:[0-9a-f]{64}'"),
        refused.getMessage());
  }

  @Test
  @DisplayName("a config whose file name is another digest is refused")
  void refusesMisnamedConfig() {
    Path archive = DockerArchives.withMisnamedConfig(temp.resolve("bad.tar"));
    List<String> problems = DockerArchive.problems(archive, Optional.empty());
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("config '"), problems.get(0));
    assertTrue(problems.get(0).contains("holds content whose digest is sha256:"), problems.get(0));
  }

  @Test
  @DisplayName("a Docker 25 save, blobs named by digest, reads like a classic one")
  void readsBlobNamedArchive() {
    DockerArchives.Archive archive =
        DockerArchives.withBlobNames(temp.resolve("a.tar"), "demo/app:1");
    ImageInHand image = DockerArchive.read(archive.path(), Optional.empty(), temp.resolve("work"));
    assertEquals(archive.configDigest(), image.blobs().keySet().iterator().next());
    DockerArchives.Archive classic = DockerArchives.dockerSave(temp.resolve("c.tar"), "demo/app:1");
    assertEquals(
        DockerArchive.read(classic.path(), Optional.empty(), temp.resolve("w2")).digest(),
        image.digest(),
        "same config and layers, same image");
  }

  @Test
  @DisplayName("a layer stored under a digest that is not its content's is refused")
  void refusesMisnamedLayer() {
    Path archive = DockerArchives.withMisnamedLayer(temp.resolve("bad.tar"));
    ImageReadException refused =
        assertThrows(
            ImageReadException.class,
            () -> DockerArchive.read(archive, Optional.empty(), temp.resolve("work")));
    assertEquals(1, refused.problems().size(), refused.getMessage());
    assertTrue(
        refused
            .problems()
            .get(0)
            .matches(
                "layer 'blobs/sha256/[0-9a-f]{64}' holds content whose digest is sha256:[0-9a-f]{64}"),
        refused.getMessage());
  }

  @Test
  @DisplayName("a gzip layer cut short is refused, naming the layer")
  void refusesDamagedGzip() {
    Path archive = DockerArchives.withDamagedGzipLayer(temp.resolve("bad.tar"));
    ImageReadException refused =
        assertThrows(
            ImageReadException.class,
            () -> DockerArchive.read(archive, Optional.empty(), temp.resolve("work")));
    assertEquals(1, refused.problems().size(), refused.getMessage());
    assertTrue(
        refused
            .problems()
            .get(0)
            .matches("layer '[0-9a-f]{64}/layer.tar' is damaged gzip \\(.+\\)"),
        refused.getMessage());
  }

  private static String digest(Blob blob, boolean uncompressed) {
    try (InputStream raw = blob.content().open();
        InputStream in = uncompressed ? new GZIPInputStream(raw) : raw) {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[65536];
      for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
        sha256.update(buffer, 0, read);
      }
      return "sha256:" + HexFormat.of().formatHex(sha256.digest());
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
