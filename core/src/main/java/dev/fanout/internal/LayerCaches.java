package dev.fanout.internal;

import com.google.cloud.tools.jib.api.Containerizer;
import java.nio.file.Path;

/**
 * The layer caches every containerization of a run shares: that sharing is what makes "build
 * once" true. Base-image layers use Jib's user-wide cache, so a base image is pulled once across
 * runs; application layers use the run's folder.
 *
 * @param applicationLayers where built layers are cached
 */
record LayerCaches(Path applicationLayers) {

  Containerizer applyTo(Containerizer containerizer) {
    return containerizer.setApplicationLayersCache(applicationLayers);
  }
}
