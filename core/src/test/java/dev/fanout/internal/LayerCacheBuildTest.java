package dev.fanout.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Building the layers straight into Jib's cache")
class LayerCacheBuildTest {

  @TempDir Path folder;

  @Test
  @DisplayName(
      "writes the layers Jib looks up: Jib then compresses nothing and writes the same image")
  void jibFindsTheLayers() throws Exception {
    JibContainerBuilder image = twoLayerImage();
    Path cache = folder.resolve("cache");

    int compressed = LayerCacheBuild.of(image).orElseThrow().buildInto(cache);

    assertEquals(2, compressed);
    AtomicInteger builtByJib = new AtomicInteger();
    String digest = containerize(image, cache, builtByJib);
    assertEquals(0, builtByJib.get(), "Jib compressed a layer the build had cached");
    AtomicInteger builtByJibAlone = new AtomicInteger();
    String digestByJibAlone =
        containerize(image, folder.resolve("jib-only-cache"), builtByJibAlone);
    assertEquals(2, builtByJibAlone.get(), "Jib alone should compress both layers");
    assertEquals(digestByJibAlone, digest);
  }

  @Test
  @DisplayName("compresses nothing when the cache already holds every layer")
  void secondBuildFindsTheLayers() throws Exception {
    JibContainerBuilder image = twoLayerImage();
    Path cache = folder.resolve("cache");
    LayerCacheBuild build = LayerCacheBuild.of(image).orElseThrow();
    build.buildInto(cache);

    assertEquals(0, build.buildInto(cache));
  }

  @Test
  @DisplayName("does not apply to an image with a base image, whose layers the full build fetches")
  void notForBaseImages() throws Exception {
    JibContainerBuilder image = Jib.from("registry.example/base:1").setCreationTime(Instant.EPOCH);

    assertTrue(LayerCacheBuild.of(image).isEmpty());
  }

  private JibContainerBuilder twoLayerImage() throws Exception {
    Path text = Files.writeString(folder.resolve("text.txt"), "text layer\n".repeat(1000));
    Path script = Files.writeString(folder.resolve("run.sh"), "#!/bin/sh\ncat /text/text.txt\n");
    return Jib.fromScratch()
        .addLayer(List.of(text), AbsoluteUnixPath.get("/text"))
        .addLayer(List.of(script), AbsoluteUnixPath.get("/bin"))
        .setCreationTime(Instant.EPOCH);
  }

  /** Containerizes to a tarball with the given cache, counting the layers Jib compressed. */
  private String containerize(JibContainerBuilder image, Path cache, AtomicInteger built)
      throws Exception {
    Path tarball = folder.resolve("image-" + cache.getFileName() + ".tar");
    Containerizer tar =
        Containerizer.to(TarImage.at(tarball).named("fanout/test:1"))
            .setApplicationLayersCache(cache)
            .setBaseImageLayersCache(folder.resolve("base-cache"))
            .addEventHandler(
                LogEvent.class,
                event -> {
                  if (event.getMessage().contains(" built sha256:")) {
                    built.incrementAndGet();
                  }
                });
    return image.containerize(tar).getDigest().toString();
  }
}
