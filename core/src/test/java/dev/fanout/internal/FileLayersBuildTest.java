package dev.fanout.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import dev.fanout.internal.image.Blob;
import dev.fanout.internal.image.Digests;
import dev.fanout.internal.image.ImageInHand;
import dev.fanout.internal.image.ParallelGzipOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The build of an image from scratch made of files")
class FileLayersBuildTest {

  @TempDir Path folder;

  @Test
  @DisplayName("writes Jib's config (same diff_ids, history and settings) over its own layers")
  void configIsJibs() throws Exception {
    Path files = files();
    ImageInHand own = build(image(files), folder.resolve("own"), null);
    ImageInHand jib = build(image(files), folder.resolve("jib"), folder.resolve("jib.tar"));

    assertArrayEquals(config(jib), config(own));
    assertNotEquals(jib.digest(), own.digest(), "Jib's one gzip stream against parallel blocks");
    assertEquals(layerSizes(jib).size(), layerSizes(own).size());
  }

  @Test
  @DisplayName("compresses a layer larger than a block into gzip that reads back as Jib's tar")
  void layersReadBack() throws Exception {
    Path files = files();
    ImageInHand own = build(image(files), folder.resolve("own"), null);
    ImageInHand jib = build(image(files), folder.resolve("jib"), folder.resolve("jib.tar"));

    List<Blob> ownLayers = layers(own);
    List<Blob> jibLayers = layers(jib);
    for (int index = 0; index < ownLayers.size(); index++) {
      assertArrayEquals(gunzip(jibLayers.get(index)), gunzip(ownLayers.get(index)));
    }
  }

  @Test
  @DisplayName(
      "hands over each layer as soon as it is compressed: every layer once, its bytes complete,"
          + " before the build ends")
  void layersHandedOverWhenCompressed() throws Exception {
    Path work = Files.createDirectories(folder.resolve("early"));
    List<String> handedOver = new ArrayList<>();
    List<String> complete = new ArrayList<>();

    ImageInHand image =
        new JibImageBuild(
                image(files()),
                LayerCaches.under(work.resolve("layers")),
                List.of(),
                new Redactor(secret -> {}),
                new RunEvents(List.of()))
            .build(
                work,
                null,
                null,
                layer -> {
                  handedOver.add(layer.digest());
                  try (InputStream in = layer.content().open()) {
                    complete.add(Digests.of(in.readAllBytes()));
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });

    List<String> layerDigests = layers(image).stream().map(Blob::digest).sorted().toList();
    assertEquals(layerDigests, handedOver.stream().sorted().toList());
    assertEquals(handedOver, complete, "a layer was handed over before its bytes were all there");
  }

  @Test
  @DisplayName("a second build of unchanged files compresses nothing and gives the same digest")
  void cacheHit() throws Exception {
    Path files = files();
    Path cache = folder.resolve("cache");
    ImageInHand first = buildWithCache(image(files), folder.resolve("one"), cache);
    Map<Path, FileTime> written = new HashMap<>();
    for (Blob layer : layers(first)) {
      Path file = layerFile(cache, layer);
      written.put(file, Files.getLastModifiedTime(file));
      Files.setLastModifiedTime(file, FileTime.fromMillis(0));
    }

    ImageInHand second = buildWithCache(image(files), folder.resolve("two"), cache);

    assertEquals(first.digest(), second.digest());
    for (Path file : written.keySet()) {
      assertEquals(FileTime.fromMillis(0), Files.getLastModifiedTime(file), file + " was rewritten");
    }
  }

  @Test
  @DisplayName("a file that changed is compressed again, into a new layer digest")
  void cacheMiss() throws Exception {
    Path files = files();
    Path cache = folder.resolve("cache");
    ImageInHand first = buildWithCache(image(files), folder.resolve("one"), cache);
    Files.writeString(files.resolve("small/run.sh"), "#!/bin/sh\necho changed\n");

    ImageInHand second = buildWithCache(image(files), folder.resolve("two"), cache);

    assertNotEquals(first.digest(), second.digest());
    assertEquals(layers(first).get(0).digest(), layers(second).get(0).digest());
    assertNotEquals(layers(first).get(1).digest(), layers(second).get(1).digest());
  }

  private Path files() throws Exception {
    Path files = folder.resolve("files");
    Files.createDirectories(files.resolve("big"));
    Files.createDirectories(files.resolve("small"));
    byte[] random = new byte[3 * ParallelGzipOutputStream.BLOCK_SIZE + 999];
    new Random(18).nextBytes(random);
    Files.write(files.resolve("big/random.bin"), random);
    Files.writeString(files.resolve("big/words.txt"), "layer digest manifest ".repeat(50_000));
    Files.writeString(files.resolve("small/run.sh"), "#!/bin/sh\necho hello\n");
    return files;
  }

  private static JibContainerBuilder image(Path files) throws Exception {
    JibContainerBuilder image = Jib.fromScratch().setEntrypoint("/small/run.sh");
    for (String name : List.of("big", "small")) {
      image.addFileEntriesLayer(
          FileEntriesLayer.builder()
              .setName("/" + name)
              .addEntryRecursive(files.resolve(name), AbsoluteUnixPath.get("/" + name))
              .build());
    }
    return image;
  }

  private static byte[] config(ImageInHand image) throws Exception {
    try (InputStream in = image.blobs().values().iterator().next().content().open()) {
      return in.readAllBytes();
    }
  }

  private static List<Long> layerSizes(ImageInHand image) {
    return layers(image).stream().map(Blob::size).toList();
  }

  private static List<Blob> layers(ImageInHand image) {
    List<Blob> blobs = new ArrayList<>(image.blobs().values());
    return blobs.subList(1, blobs.size());
  }

  private static byte[] gunzip(Blob layer) throws Exception {
    try (InputStream in = new GZIPInputStream(layer.content().open())) {
      return in.readAllBytes();
    }
  }

  private static Path layerFile(Path cache, Blob layer) throws Exception {
    try (var found = Files.walk(cache)) {
      return found
          .filter(path -> path.getFileName().toString().equals(layer.digest().substring(7)))
          .findFirst()
          .orElseThrow();
    }
  }

  private static ImageInHand build(JibContainerBuilder builder, Path work, Path tarball)
      throws Exception {
    return buildWithCache(builder, work, work.resolve("layers"), tarball);
  }

  private static ImageInHand buildWithCache(JibContainerBuilder builder, Path work, Path cache)
      throws Exception {
    return buildWithCache(builder, work, cache, null);
  }

  private static ImageInHand buildWithCache(
      JibContainerBuilder builder, Path work, Path cache, Path tarball) throws Exception {
    Files.createDirectories(work);
    return new JibImageBuild(
            builder,
            LayerCaches.under(cache),
            List.of(),
            new Redactor(secret -> {}),
            new RunEvents(List.of()))
        .build(work, tarball, tarball == null ? null : "acme/app:1", layer -> {});
  }
}
