package dev.fanout.internal;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import dev.fanout.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds the image once, before any push.
 *
 * <p>Jib has no "build only" step, so the image is containerized to a tarball: that compresses
 * every layer into the shared layer cache and yields the digest every target must end up with.
 * Pushes started afterwards find their layers in the cache and compress nothing; pushes started
 * at the same time as a cold build would each compress the layers themselves.
 */
final class ImageBuild {

  /** The name inside the throw-away tarball when the caller asked for none. */
  private static final String SCRATCH_IMAGE_NAME = "fanout/build:latest";

  private final JibContainerBuilder builder;
  private final LayerCaches caches;
  private final List<JibEventHandler<?>> eventHandlers;
  private final Redactor redactor;
  private final RunEvents events;

  ImageBuild(
      JibContainerBuilder builder,
      LayerCaches caches,
      List<JibEventHandler<?>> eventHandlers,
      Redactor redactor,
      RunEvents events) {
    this.builder = builder;
    this.caches = caches;
    this.eventHandlers = eventHandlers;
    this.redactor = redactor;
    this.events = events;
  }

  /**
   * Builds the image into the layer cache and writes it as a tarball.
   *
   * @param tarball where to write it
   * @param imageName the name {@code docker load} gives it, or null for a scratch name
   * @return the image's manifest digest
   * @throws Exception whatever Jib throws
   */
  String buildTo(Path tarball, String imageName) throws Exception {
    Path parent = tarball.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    TarImage tar =
        TarImage.at(tarball).named(imageName == null ? SCRATCH_IMAGE_NAME : imageName);
    Containerizer containerizer =
        caches
            .applyTo(Containerizer.to(tar))
            .setToolName(JibPush.TOOL_NAME)
            .addEventHandler(LogEvent.class, new JibLogBridge("build", redactor, false, line -> {}))
            .addEventHandler(ProgressEvent.class, new JibProgress(Progress.BUILD, events));
    eventHandlers.forEach(handler -> handler.addTo(containerizer));
    JibContainer container = builder.containerize(containerizer);
    return container.getDigest().toString();
  }
}
