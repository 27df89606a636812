package dev.fanout.internal;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import java.util.List;
import java.util.function.Consumer;

/**
 * Containerizes the run's one image, to the tarball or to a registry, with what every
 * containerization of the run shares: the layer caches (which make "build once" true), Fanout's
 * tool name, the log and progress bridges, the caller's event handlers, and the gate that keeps
 * concurrent calls from mixing up their targets in Jib's shared builder.
 */
final class ImageContainerizer {

  /** How Fanout names itself to registries in Jib's User-Agent and in the image history. */
  static final String TOOL_NAME = "fanout";

  private final JibContainerBuilder builder;
  private final LayerCaches caches;
  private final List<JibEventHandler<?>> eventHandlers;
  private final Redactor redactor;
  private final RunEvents events;
  private final ContainerizeGate gate = new ContainerizeGate();

  ImageContainerizer(
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
   * Containerizes the image.
   *
   * @param containerizer where it goes, with its destination-specific settings
   * @param subject what log lines are about
   * @param progressTarget the name progress events are reported under
   * @param plainHttpExpected whether Jib's HTTPS-to-HTTP fallback is expected, not a warning
   * @param targetLog receives the log lines that concern this destination
   * @return the manifest digest of the image Jib wrote
   * @throws Exception whatever Jib throws
   */
  String containerize(
      Containerizer containerizer,
      String subject,
      String progressTarget,
      boolean plainHttpExpected,
      Consumer<String> targetLog)
      throws Exception {
    caches
        .applyTo(containerizer)
        .setToolName(TOOL_NAME)
        .addEventHandler(
            LogEvent.class, new JibLogBridge(subject, redactor, plainHttpExpected, targetLog))
        .addEventHandler(ProgressEvent.class, new JibProgress(progressTarget, events));
    eventHandlers.forEach(handler -> handler.addTo(containerizer));
    return gate.containerize(builder, containerizer).getDigest().toString();
  }
}
