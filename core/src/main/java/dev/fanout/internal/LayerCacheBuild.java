package dev.fanout.internal;

import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.buildplan.ContainerBuildPlan;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.LayerObject;
import com.google.cloud.tools.jib.cache.Cache;
import com.google.cloud.tools.jib.image.ReproducibleLayerBuilder;
import com.google.common.collect.ImmutableList;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds the layers of an image from scratch straight into the run's layer cache, each layer once
 * and the layers in parallel, so that every push finds all of them cached and compresses nothing.
 *
 * <p>This is the build for the common case, where no tarball was asked for and there is no base
 * image to fetch. The alternative, containerizing to a throw-away tarball, also re-reads, re-hashes
 * and writes every compressed layer only to learn the image digest, which each push computes
 * anyway: 0.12 to 0.17 s of a 2-core machine on the benchmark's 72 MiB image (bench/README.md).
 *
 * <p>It writes each layer the way Jib 0.28's own build step does ({@code
 * BuildAndCacheApplicationLayerStep}: {@link ReproducibleLayerBuilder} into {@link
 * Cache#writeUncompressedLayer}), so the cache key is the one Jib looks up when it pushes. A Jib
 * upgrade that changed either would make pushes compress again, which {@code LayerCacheBuildTest}
 * catches.
 */
final class LayerCacheBuild {

  private final List<ImmutableList<FileEntry>> layers;

  private LayerCacheBuild(List<ImmutableList<FileEntry>> layers) {
    this.layers = layers;
  }

  /**
   * The layer build for an image, when it applies: the image starts from scratch (nothing to pull)
   * and every layer is made of file entries (what Jib builds itself).
   *
   * @param builder the image
   * @return its layer build, or empty when the image needs the full build
   */
  static Optional<LayerCacheBuild> of(JibContainerBuilder builder) {
    ContainerBuildPlan plan = builder.toContainerBuildPlan();
    if (!"scratch".equals(plan.getBaseImage())) {
      return Optional.empty();
    }
    List<ImmutableList<FileEntry>> layers = new ArrayList<>();
    for (LayerObject layer : plan.getLayers()) {
      if (!(layer instanceof FileEntriesLayer)) {
        return Optional.empty();
      }
      layers.add(ImmutableList.copyOf(((FileEntriesLayer) layer).getEntries()));
    }
    return Optional.of(new LayerCacheBuild(layers));
  }

  /** How many layers the image has. */
  int layerCount() {
    return layers.size();
  }

  /**
   * Compresses every layer the cache does not hold yet into it, at most one layer per processor at
   * a time.
   *
   * @param cacheDirectory the run's application-layer cache
   * @return how many layers were compressed (the others were cached already)
   * @throws Exception whatever Jib's cache or layer builder throws, or an interruption
   */
  int buildInto(Path cacheDirectory) throws Exception {
    Cache cache = Cache.withDirectory(cacheDirectory);
    int threads = Math.max(1, Math.min(layers.size(), Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, new NamedThreads("fanout-layer"));
    try {
      List<Future<Boolean>> built = new ArrayList<>();
      for (ImmutableList<FileEntry> entries : layers) {
        built.add(pool.submit(() -> buildIfMissing(cache, entries)));
      }
      int compressed = 0;
      for (Future<Boolean> layer : built) {
        if (await(layer)) {
          compressed++;
        }
      }
      return compressed;
    } finally {
      pool.shutdownNow();
    }
  }

  private static boolean buildIfMissing(Cache cache, ImmutableList<FileEntry> entries)
      throws Exception {
    if (cache.retrieve(entries).isPresent()) {
      return false;
    }
    cache.writeUncompressedLayer(new ReproducibleLayerBuilder(entries).build(), entries);
    return true;
  }

  private static boolean await(Future<Boolean> layer) throws Exception {
    try {
      return layer.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }
}
