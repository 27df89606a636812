package dev.fanout.internal;

import dev.fanout.Environment;
import dev.fanout.ImageSource;
import dev.fanout.RetryPolicy;
import dev.fanout.RunListener;
import dev.fanout.TagRule;
import dev.fanout.spi.RegistryBackendProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of everything a pipeline declared; the input of planning and running.
 *
 * @param environment the variables the pipeline sees
 * @param image the image source, or null when none was given (a plan problem)
 * @param imageLoader how the image is brought into hand when Jib does not build it, or null
 * @param tags the pipeline's tag rules
 * @param targets the declared targets, in order
 * @param tarball where to write the image as a tarball, or null
 * @param tarballImageName the name in the tarball, or null
 * @param maxConcurrentPushes pushes at once overall
 * @param maxConcurrentPushesPerHost pushes at once per registry host
 * @param retryPolicy how pushes are retried
 * @param manifestUploadLimits manifest uploads per second by registry host, set by the caller
 * @param layerCache the layer cache folder, or null for a temporary one
 * @param extraBackends backends given directly rather than found by ServiceLoader
 * @param eventHandlers the caller's Jib event handlers
 * @param listeners the caller's run listeners
 */
public record PipelineSpec(
    Environment environment,
    ImageSource image,
    ImageLoader imageLoader,
    List<TagRule> tags,
    List<TargetDeclaration> targets,
    Path tarball,
    String tarballImageName,
    int maxConcurrentPushes,
    int maxConcurrentPushesPerHost,
    RetryPolicy retryPolicy,
    Map<String, Integer> manifestUploadLimits,
    Path layerCache,
    List<RegistryBackendProvider> extraBackends,
    List<JibEventHandler<?>> eventHandlers,
    List<RunListener> listeners) {

  /** Copies the lists. */
  public PipelineSpec {
    tags = List.copyOf(tags);
    manifestUploadLimits = Map.copyOf(manifestUploadLimits);
    targets = List.copyOf(targets);
    extraBackends = List.copyOf(extraBackends);
    eventHandlers = List.copyOf(eventHandlers);
    listeners = List.copyOf(listeners);
  }

  Optional<Path> tarballPath() {
    return Optional.ofNullable(tarball);
  }
}
