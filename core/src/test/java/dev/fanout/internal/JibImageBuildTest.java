package dev.fanout.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.DockerDaemonImage;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import dev.fanout.internal.image.Blob;
import dev.fanout.internal.image.Digests;
import dev.fanout.internal.image.ImageInHand;
import dev.fanout.internal.image.MediaTypes;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The Jib build")
class JibImageBuildTest {

  @TempDir Path folder;

  @Test
  @DisplayName("hands over Jib's Docker manifest, its config and every layer, each blob what its digest says")
  void dockerImage() throws Exception {
    ImageInHand image = build(app(), folder.resolve("work"), null);

    assertEquals(MediaTypes.DOCKER_MANIFEST, image.root().mediaType());
    assertEquals(List.of(image.root()), image.manifests());
    assertEquals(3, image.blobs().size(), "a config and two layers");
    JsonNode manifest = new ObjectMapper().readTree(image.root().bytes());
    assertEquals(
        manifest.path("config").path("digest").asText(), image.blobs().keySet().iterator().next());
    for (Blob blob : image.blobs().values()) {
      try (InputStream in = blob.content().open()) {
        byte[] bytes = in.readAllBytes();
        assertEquals(blob.size(), bytes.length);
        assertEquals(blob.digest(), Digests.of(bytes));
      }
    }
  }

  @Test
  @DisplayName(
      "builds on nothing only from scratch: a base from a tarball, the Docker daemon or a registry"
          + " goes to Jib, though Jib's build plan calls the first two scratch too")
  void startsFromNothing() throws Exception {
    assertTrue(JibImageBuild.startsFromNothing(Jib.fromScratch()));
    JibContainerBuilder onTarball = Jib.from(TarImage.at(folder.resolve("base.tar")));
    assertEquals("scratch", onTarball.toContainerBuildPlan().getBaseImage());
    assertFalse(JibImageBuild.startsFromNothing(onTarball));
    assertFalse(JibImageBuild.startsFromNothing(Jib.from(DockerDaemonImage.named("acme/base"))));
    assertFalse(JibImageBuild.startsFromNothing(Jib.from("127.0.0.1:5000/acme/base")));
  }

  @Test
  @DisplayName("gives the same digest on every build of the same files")
  void reproducible() throws Exception {
    String first = build(app(), folder.resolve("one"), null).digest();
    String second = build(app(), folder.resolve("two"), null).digest();
    assertEquals(first, second);
  }

  @Test
  @DisplayName("keeps an OCI image's manifest exactly as Jib wrote it")
  void ociImage() throws Exception {
    JibContainerBuilder builder = app().setFormat(ImageFormat.OCI);
    ImageInHand image = build(builder, folder.resolve("work"), null);

    assertEquals(MediaTypes.OCI_MANIFEST, image.root().mediaType());
    assertEquals(3, image.blobs().size());
  }

  @Test
  @DisplayName("writes the caller's tarball and pushes what it holds")
  void callersTarball() throws Exception {
    Path tarball = folder.resolve("out/app.tar");
    ImageInHand image = build(app(), folder.resolve("work"), tarball);

    assertTrue(Files.size(tarball) > 0);
    ImageInHand again = JibTarball.read(tarball, Files.createDirectories(folder.resolve("again")));
    assertArrayEquals(image.root().bytes(), again.root().bytes());
  }

  private JibContainerBuilder app() throws Exception {
    Path files = Files.createDirectories(folder.resolve("files"));
    Files.writeString(files.resolve("run.sh"), "#!/bin/sh\necho hello\n");
    Files.writeString(files.resolve("data.txt"), "data ".repeat(1000));
    return Jib.fromScratch()
        .addLayer(List.of(files.resolve("run.sh")), AbsoluteUnixPath.get("/app"))
        .addLayer(List.of(files.resolve("data.txt")), AbsoluteUnixPath.get("/data"))
        .setEntrypoint("/app/run.sh");
  }

  private static ImageInHand build(JibContainerBuilder builder, Path work, Path tarball)
      throws Exception {
    Files.createDirectories(work);
    return new JibImageBuild(
            builder,
            LayerCaches.under(work.resolve("layers")),
            List.of(),
            new Redactor(secret -> {}),
            new RunEvents(List.of()))
        .build(work, tarball, tarball == null ? null : "acme/app:1", layer -> {});
  }
}
