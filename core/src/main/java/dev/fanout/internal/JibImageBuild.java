package dev.fanout.internal;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.ContainerBuildPlan;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.configuration.ImageConfiguration;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import dev.fanout.Progress;
import dev.fanout.internal.image.Blob;
import dev.fanout.internal.image.ImageInHand;
import dev.fanout.spi.EndpointSafety;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds the run's one image with Jib and hands it over as an {@link ImageInHand}: Jib builds, the
 * transport pushes.
 *
 * <p>An image from scratch made only of file layers, for one platform and with no tarball to write
 * (what the command line builds), is built by {@link FileLayersBuild}: layers compressed in
 * parallel straight into the layer cache, no tarball. Anything else goes through Jib, which has no
 * "build only" step: the image is containerized to a tarball (the caller's, or a throw-away one in
 * the run's folder) and read back with {@link JibTarball}. An image of several platforms is
 * containerized once per platform, one after another (Jib writes one platform to a tarball), and
 * the index over them is authored here as Jib authors it for a registry.
 */
final class JibImageBuild {

  /** How Fanout names itself in the image history Jib writes. */
  static final String TOOL_NAME = "fanout";

  /**
   * The version Jib writes after {@link #TOOL_NAME} in each layer's history: Fanout sets none, so
   * Jib writes its default, its own version from its jar's manifest; {@link FileLayersBuild}
   * writes the same.
   */
  static final String TOOL_VERSION = Containerizer.class.getPackage().getImplementationVersion();

  /** The folder of the application-layer cache where {@link FileLayersBuild} keeps its layers. */
  private static final String COMPRESSED_LAYERS = "fanout-parallel-gzip";

  /** The name inside the throw-away tarball when the caller asked for none. */
  private static final String SCRATCH_IMAGE_NAME = "fanout/build:latest";

  /**
   * The private field of jib-core 0.28's {@link JibContainerBuilder} that holds its base image.
   * Jib's build plan names only registry bases: a base from a tarball ({@code Jib.from(TarImage)})
   * or from the Docker daemon is "scratch" there too, so whether the image really starts from
   * nothing is read from this field; when it cannot be read (another Jib), the answer is "no" and
   * Jib builds the image, which is always right, only slower.
   */
  private static final String BASE_IMAGE_FIELD = "baseImageConfiguration";

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
   * @param layerBuilt told each layer Fanout compresses itself as soon as it is in the layer cache
   *     (none when Jib builds)
   * @return the image, its blobs in {@code work} (layers Fanout compressed: in the layer cache)
   * @throws Exception whatever Jib throws, or a tarball that does not read back
   */
  ImageInHand build(
      Path work, Path tarball, String tarballImageName, Consumer<Blob> layerBuilt)
      throws Exception {
    ContainerBuildPlan plan = builder.toContainerBuildPlan();
    Set<Platform> platforms = plan.getPlatforms();
    Path blobs = Files.createDirectories(work.resolve("blobs"));
    boolean baseOnThisMachine = isOnThisMachine(plan.getBaseImage());
    if (tarball == null && FileLayersBuild.builds(plan) && startsFromNothing(builder)) {
      return new FileLayersBuild(
              new CompressedLayerCache(caches.applicationLayers().resolve(COMPRESSED_LAYERS)),
              blobs,
              TOOL_NAME + ":" + TOOL_VERSION,
              events,
              layerBuilt)
          .build(plan);
    }
    List<JibTarball.PlatformImage> images = new ArrayList<>();
    try {
      if (platforms.size() <= 1) {
        if (platforms.size() == 1) {
          // A single manifest names no platform: a variant has nowhere to go.
          builder.setPlatforms(Set.of(JibTarball.withoutVariant(platforms.iterator().next())));
        }
        Path target = tarball != null ? tarball : work.resolve("image.tar");
        return readBack(target, containerizeTo(target, tarballImageName, baseOnThisMachine), blobs);
      }
      for (Platform platform : platforms) {
        builder.setPlatforms(Set.of(JibTarball.withoutVariant(platform)));
        String name = platform.getOs() + "-" + platform.getArchitecture().replace('/', '-');
        Path target = work.resolve("image-" + name + ".tar");
        String digest = containerizeTo(target, null, baseOnThisMachine);
        images.add(new JibTarball.PlatformImage(platform, readBack(target, digest, blobs)));
      }
    } finally {
      builder.setPlatforms(new LinkedHashSet<>(platforms));
    }
    return JibTarball.index(images, plan.getFormat() == ImageFormat.OCI);
  }

  /**
   * Whether Jib would build the image on nothing at all: no registry base, no tarball base, no
   * image from the Docker daemon.
   *
   * @param builder the builder
   * @return true only when its base is known to be scratch
   */
  static boolean startsFromNothing(JibContainerBuilder builder) {
    try {
      Field field = JibContainerBuilder.class.getDeclaredField(BASE_IMAGE_FIELD);
      field.setAccessible(true);
      ImageConfiguration base = (ImageConfiguration) field.get(builder);
      return base.getImage().isScratch()
          && base.getTarPath().isEmpty()
          && base.getDockerClient().isEmpty();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Reads a tarball back and checks that its manifest is the one Jib built: the digest Fanout
   * pushes must be the digest Jib reports.
   */
  private static ImageInHand readBack(Path tarball, String jibDigest, Path blobs)
      throws IOException {
    ImageInHand image = JibTarball.read(tarball, blobs);
    if (!image.digest().equals(jibDigest)) {
      throw new IOException(
          "Jib built " + jibDigest + ", but its tarball reads back as " + image.digest());
    }
    return image;
  }

  /**
   * Whether a base image is served by this machine, which Jib may then reach over plain HTTP (a
   * test or CI registry on loopback). Base images elsewhere are pulled over HTTPS only.
   */
  private static boolean isOnThisMachine(String baseImage) {
    if (baseImage == null || baseImage.equals("scratch")) {
      return false;
    }
    try {
      return EndpointSafety.isLoopback(ImageReference.parse(baseImage).getRegistry());
    } catch (InvalidImageReferenceException e) {
      return false;
    }
  }

  /** Containerizes to a tarball and returns the manifest digest Jib computed. */
  private String containerizeTo(Path tarball, String imageName, boolean plainHttpBase)
      throws Exception {
    Path parent = tarball.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    TarImage tar = TarImage.at(tarball).named(imageName == null ? SCRATCH_IMAGE_NAME : imageName);
    Containerizer containerizer =
        caches
            .applyTo(Containerizer.to(tar))
            .setToolName(TOOL_NAME)
            .setAllowInsecureRegistries(plainHttpBase)
            .addEventHandler(LogEvent.class, new JibLogBridge("build", redactor, false, line -> {}))
            .addEventHandler(ProgressEvent.class, new JibProgress(Progress.BUILD, events));
    eventHandlers.forEach(handler -> handler.addTo(containerizer));
    return builder.containerize(containerizer).getDigest().toString();
  }
}
