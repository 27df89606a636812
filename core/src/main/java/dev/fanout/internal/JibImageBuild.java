package dev.fanout.internal;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.ContainerBuildPlan;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import dev.fanout.Progress;
import dev.fanout.internal.image.ImageInHand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the run's one image with Jib and hands it over as an {@link ImageInHand}: Jib builds, the
 * transport pushes.
 *
 * <p>Jib has no "build only" step, so the image is containerized to a tarball (the caller's, or a
 * throw-away one in the run's folder) and read back with {@link JibTarball}. An image of several
 * platforms is containerized once per platform, one after another (Jib writes one platform to a
 * tarball), and the index over them is authored here as Jib authors it for a registry.
 */
final class JibImageBuild {

  /** How Fanout names itself in the image history Jib writes. */
  static final String TOOL_NAME = "fanout";

  /** The name inside the throw-away tarball when the caller asked for none. */
  private static final String SCRATCH_IMAGE_NAME = "fanout/build:latest";

  private final JibContainerBuilder builder;
  private final LayerCaches caches;
  private final List<JibEventHandler<?>> eventHandlers;
  private final Redactor redactor;
  private final RunEvents events;

  JibImageBuild(
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
   * Builds the image.
   *
   * @param work the run's folder: throw-away tarballs and the blobs read from them go there
   * @param tarball the caller's tarball, or null; only for an image of one platform
   * @param tarballImageName the name {@code docker load} gives it, or null
   * @return the image, its blobs in {@code work}
   * @throws Exception whatever Jib throws, or a tarball that does not read back
   */
  ImageInHand build(Path work, Path tarball, String tarballImageName) throws Exception {
    ContainerBuildPlan plan = builder.toContainerBuildPlan();
    Set<Platform> platforms = plan.getPlatforms();
    Path blobs = Files.createDirectories(work.resolve("blobs"));
    if (platforms.size() <= 1) {
      Path target = tarball != null ? tarball : work.resolve("image.tar");
      containerizeTo(target, tarballImageName);
      return JibTarball.read(target, blobs);
    }
    List<JibTarball.PlatformImage> images = new ArrayList<>();
    try {
      for (Platform platform : platforms) {
        builder.setPlatforms(Set.of(platform));
        Path target =
            work.resolve("image-" + platform.getOs() + "-" + platform.getArchitecture() + ".tar");
        containerizeTo(target, null);
        images.add(new JibTarball.PlatformImage(platform, JibTarball.read(target, blobs)));
      }
    } finally {
      builder.setPlatforms(new LinkedHashSet<>(platforms));
    }
    return JibTarball.index(images, plan.getFormat() == ImageFormat.OCI);
  }

  private void containerizeTo(Path tarball, String imageName) throws Exception {
    Path parent = tarball.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    TarImage tar = TarImage.at(tarball).named(imageName == null ? SCRATCH_IMAGE_NAME : imageName);
    Containerizer containerizer =
        caches
            .applyTo(Containerizer.to(tar))
            .setToolName(TOOL_NAME)
            .addEventHandler(LogEvent.class, new JibLogBridge("build", redactor, false, line -> {}))
            .addEventHandler(ProgressEvent.class, new JibProgress(Progress.BUILD, events));
    eventHandlers.forEach(handler -> handler.addTo(containerizer));
    builder.containerize(containerizer);
  }
}
