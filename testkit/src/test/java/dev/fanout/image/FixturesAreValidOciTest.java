package dev.fanout.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.internal.image.Blob;
import dev.fanout.internal.image.DockerArchive;
import dev.fanout.internal.image.ImageInHand;
import dev.fanout.internal.image.OciLayout;
import dev.fanout.testkit.DockerArchives;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.OciLayouts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The layout fixtures are valid OCI: skopeo, a client that shares no code with Fanout, copies each
 * to a real registry (from the layout, or for Docker media types, which skopeo 1.9 reads only from
 * its own {@code dir:} format, from that copy of it), which then serves every manifest byte for
 * byte as the layout holds it, under the digests Fanout's reader computes.
 */
@DisplayName("Layout fixtures are valid OCI, as skopeo and a registry see them")
class FixturesAreValidOciTest {

  @RegisterExtension static final LocalRegistryExtension registry = LocalRegistryExtension.plain();

  @TempDir Path temp;

  static Stream<Arguments> fixtures() {
    return Stream.of(
        Arguments.of("buildx", (Function<Path, OciLayouts.Layout>) OciLayouts::buildx),
        Arguments.of("single", (Function<Path, OciLayouts.Layout>) OciLayouts::singleManifest),
        Arguments.of("docker-v2s2", (Function<Path, OciLayouts.Layout>) OciLayouts::dockerManifest),
        Arguments.of(
            "docker-list", (Function<Path, OciLayouts.Layout>) OciLayouts::dockerManifestList));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  @DisplayName(
      "skopeo copies the layout; the registry serves its exact manifests under the reader's digests")
  void skopeoAgrees(String name, Function<Path, OciLayouts.Layout> fixture)
      throws IOException, InterruptedException {
    OciLayouts.Layout layout = fixture.apply(temp.resolve(name));
    ImageInHand image = OciLayout.read(layout.path(), Optional.empty());
    String target = registry.reference("fixtures/" + name + ":1");

    String source =
        layout.mediaType().startsWith("application/vnd.oci.")
            ? "oci:" + layout.path() + ":" + layout.refName()
            : "dir:" + OciLayouts.asSkopeoDir(layout, temp.resolve(name + "-dir"));
    skopeo(
        "copy",
        "--quiet",
        "--all",
        "--preserve-digests",
        "--dest-tls-verify=false",
        "--dest-no-creds",
        source,
        "docker://" + target);

    assertArrayEquals(
        layout.bytesOf(image.digest()),
        raw("docker://" + target),
        "the root as the registry serves it under the tag");
    String repository = target.substring(0, target.lastIndexOf(':'));
    for (String digest : layout.manifests()) {
      assertArrayEquals(
          layout.bytesOf(digest),
          raw("docker://" + repository + "@" + digest),
          "manifest " + digest);
    }
    assertEquals(layout.digest(), image.digest());
  }

  @Test
  @DisplayName(
      "an image read from a docker archive lands through skopeo with Fanout's digest, and skopeo reads its config")
  void dockerArchiveImageLands() throws IOException, InterruptedException {
    DockerArchives.Archive archive =
        DockerArchives.withGzipLayer(temp.resolve("a.tar"), "demo/app:1");
    ImageInHand image = DockerArchive.read(archive.path(), Optional.empty(), temp.resolve("work"));
    Path dir = Files.createDirectories(temp.resolve("dir"));
    Files.writeString(dir.resolve("version"), "Directory Transport Version: 1.1\n");
    Files.write(dir.resolve("manifest.json"), image.root().bytes());
    for (Blob blob : image.blobs().values()) {
      try (InputStream in = blob.content().open()) {
        Files.copy(in, dir.resolve(blob.digest().substring(7)));
      }
    }
    String target = registry.reference("fixtures/docker-archive:1");

    skopeo(
        "copy",
        "--quiet",
        "--preserve-digests",
        "--dest-tls-verify=false",
        "--dest-no-creds",
        "dir:" + dir,
        "docker://" + target);

    assertArrayEquals(image.root().bytes(), raw("docker://" + target));
    String inspected =
        new String(
                skopeo(
                    "inspect",
                    "--tls-verify=false",
                    "--no-creds",
                    "--format",
                    "{{.Digest}} {{.Architecture}} {{len .Layers}}",
                    "docker://" + target),
                StandardCharsets.UTF_8)
            .strip();
    assertEquals(image.digest() + " amd64 2", inspected);
  }

  private static byte[] raw(String reference) throws IOException, InterruptedException {
    return skopeo("inspect", "--raw", "--tls-verify=false", "--no-creds", reference);
  }

  private static byte[] skopeo(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("skopeo"));
    command.addAll(List.of(arguments));
    Path errors = Files.createTempFile("skopeo-", ".err");
    try {
      Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
      process.getOutputStream().close();
      byte[] stdout = process.getInputStream().readAllBytes();
      assertTrue(process.waitFor(120, TimeUnit.SECONDS), "skopeo " + arguments[0] + " hung");
      assertEquals(
          0,
          process.exitValue(),
          "skopeo "
              + arguments[0]
              + " failed: "
              + Files.readString(errors, StandardCharsets.UTF_8));
      return stdout;
    } finally {
      Files.delete(errors);
    }
  }
}
