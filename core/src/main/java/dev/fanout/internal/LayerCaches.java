package dev.fanout.internal;

import com.google.cloud.tools.jib.api.Containerizer;
import java.nio.file.Path;

/**
 * The layer caches of a run's Jib build. Both are the run's own folders unless the caller named a
 * cache with {@code layerCache(Path)}: Jib's user-wide base-image cache is never used, so a layer
 * left behind by another run (a hostile archive's, say) can never be pushed by this one.
 *
 * @param applicationLayers where built layers are cached
 * @param baseImageLayers where pulled base-image layers are cached
 */
record LayerCaches(Path applicationLayers, Path baseImageLayers) {

  /**
   * The caches under one folder.
   *
   * @param folder the run's work folder, or the caller's named cache
   * @return the caches
   */
  static LayerCaches under(Path folder) {
    return new LayerCaches(folder.resolve("application"), folder.resolve("base"));
  }

  Containerizer applyTo(Containerizer containerizer) {
    return containerizer
        .setApplicationLayersCache(applicationLayers)
        .setBaseImageLayersCache(baseImageLayers);
  }
}
