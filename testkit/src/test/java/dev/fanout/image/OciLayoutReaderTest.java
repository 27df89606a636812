package dev.fanout.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.internal.image.Blob;
import dev.fanout.internal.image.ImageInHand;
import dev.fanout.internal.image.ImageReadException;
import dev.fanout.internal.image.ManifestBytes;
import dev.fanout.internal.image.OciLayout;
import dev.fanout.testkit.OciLayouts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("OciLayout reads layouts byte for byte")
class OciLayoutReaderTest {

  @TempDir Path temp;

  static Stream<Arguments> fixtures() {
    return Stream.of(
        Arguments.of(
            "buildx-shaped index with attestations",
            (Function<Path, OciLayouts.Layout>) OciLayouts::buildx),
        Arguments.of(
            "single OCI manifest", (Function<Path, OciLayouts.Layout>) OciLayouts::singleManifest),
        Arguments.of(
            "Docker v2s2 manifest", (Function<Path, OciLayouts.Layout>) OciLayouts::dockerManifest),
        Arguments.of(
            "Docker manifest list",
            (Function<Path, OciLayouts.Layout>) OciLayouts::dockerManifestList),
        Arguments.of("nested index", (Function<Path, OciLayouts.Layout>) OciLayouts::nestedIndex));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  @DisplayName("a layout folder gives the layout's exact manifests, blobs, platforms and digest")
  void readsFolder(String name, Function<Path, OciLayouts.Layout> fixture) throws IOException {
    OciLayouts.Layout layout = fixture.apply(temp.resolve("layout"));
    assertMatches(layout, OciLayout.read(layout.path(), Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  @DisplayName("the same layout as a tar gives the same image, blobs read in place")
  void readsTar(String name, Function<Path, OciLayouts.Layout> fixture) throws IOException {
    OciLayouts.Layout layout = fixture.apply(temp.resolve("layout"));
    Path tar = OciLayouts.asTar(layout.path(), temp.resolve("layout.tar"));
    ImageInHand fromTar = OciLayout.read(tar, Optional.of(layout.refName()));
    assertMatches(layout, fromTar);
    ImageInHand fromFolder = OciLayout.read(layout.path(), Optional.empty());
    assertEquals(fromFolder.digest(), fromTar.digest());
    assertEquals(fromFolder.manifests(), fromTar.manifests());
    assertEquals(fromFolder.blobs().keySet(), fromTar.blobs().keySet());
    assertEquals(List.of(), OciLayout.problems(tar, Optional.empty()));
  }

  @Test
  @DisplayName("a buildx layout keeps its attestation manifests as children but not as platforms")
  void keepsAttestations() {
    OciLayouts.Layout layout = OciLayouts.buildx(temp.resolve("layout"));
    ImageInHand image = OciLayout.read(layout.path(), Optional.empty());
    List<String> children = image.manifests().stream().map(ManifestBytes::digest).toList();
    assertTrue(children.containsAll(layout.attestations()), children.toString());
    assertEquals(List.of("linux/amd64", "linux/arm64/v8"), List.copyOf(image.platforms().keySet()));
    assertTrue(image.root().isIndex());
  }

  @Test
  @DisplayName("of several images in index.json, the one named by ref.name is read")
  void choosesByRefName() {
    OciLayouts.Layout layout = OciLayouts.twoNamedImages(temp.resolve("layout"));
    assertMatches(layout, OciLayout.read(layout.path(), Optional.of("first:1")));
    ImageInHand second = OciLayout.read(layout.path(), Optional.of("second:2"));
    assertTrue(!second.digest().equals(layout.digest()));
  }

  @Test
  @DisplayName("several images and no name: refused, listing the names to choose from")
  void refusesAmbiguousLayout() {
    OciLayouts.Layout layout = OciLayouts.twoNamedImages(temp.resolve("layout"));
    ImageReadException refused =
        assertThrows(
            ImageReadException.class, () -> OciLayout.read(layout.path(), Optional.empty()));
    assertTrue(refused.getMessage().contains("index.json lists 2 images"), refused.getMessage());
    assertTrue(refused.getMessage().contains("'first:1', 'second:2'"), refused.getMessage());
    assertTrue(refused.getMessage().contains(layout.path().toString()), refused.getMessage());
  }

  @Test
  @DisplayName("a name that no entry has: refused, listing the names there are")
  void refusesUnknownName() {
    OciLayouts.Layout layout = OciLayouts.singleManifest(temp.resolve("layout"));
    List<String> problems = OciLayout.problems(layout.path(), Optional.of("other:9"));
    assertEquals(
        List.of("index.json has no entry named 'other:9' (its names: 'single:1')"), problems);
  }

  static void assertMatches(OciLayouts.Layout layout, ImageInHand image) {
    assertEquals(layout.digest(), image.digest());
    assertEquals(layout.mediaType(), image.root().mediaType());
    assertEquals(
        layout.manifests(), image.manifests().stream().map(ManifestBytes::digest).toList());
    for (ManifestBytes manifest : image.manifests()) {
      assertArrayEquals(layout.bytesOf(manifest.digest()), manifest.bytes(), manifest.toString());
    }
    assertEquals(layout.blobs(), List.copyOf(image.blobs().keySet()));
    for (Blob blob : image.blobs().values()) {
      assertEquals(blob.digest(), sha256(blob), "content of " + blob.digest());
      assertEquals(layout.bytesOf(blob.digest()).length, blob.size());
    }
    assertEquals(layout.platforms(), image.platforms());
  }

  static String sha256(Blob blob) {
    try (InputStream in = blob.content().open()) {
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
