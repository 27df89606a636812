package dev.fanout.internal;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.JibEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets concurrent pushes share one {@link JibContainerBuilder} safely.
 *
 * <p>Jib 0.28's {@code JibContainerBuilder.containerize} first copies the containerizer's settings
 * (the target image with its credential, the tags, the event handlers) into one {@code
 * BuildContext.Builder} that the builder keeps, then builds its context from it. Two calls at once
 * can interleave there, and a push then goes to another target's registry, with that target's
 * credential. The gate lets one call at a time through that copy: it is held from just before
 * {@code containerize} until the new context's first event (the timer event Jib dispatches right
 * after building it), or until {@code containerize} ends. The pushes themselves still run side by
 * side.
 */
final class ContainerizeGate {

  private final Semaphore copying = new Semaphore(1);

  /**
   * Runs {@code builder.containerize(containerizer)} once no other call is copying its settings.
   *
   * @param builder the shared builder
   * @param containerizer where this push goes; an event handler is added to it
   * @return what Jib returns
   * @throws InterruptedException when interrupted, while waiting or while pushing
   * @throws RegistryException as Jib throws it
   * @throws IOException as Jib throws it
   * @throws CacheDirectoryCreationException as Jib throws it
   * @throws ExecutionException as Jib throws it
   */
  JibContainer containerize(JibContainerBuilder builder, Containerizer containerizer)
      throws InterruptedException,
          RegistryException,
          IOException,
          CacheDirectoryCreationException,
          ExecutionException {
    AtomicBoolean held = new AtomicBoolean(true);
    Runnable release =
        () -> {
          if (held.compareAndSet(true, false)) {
            copying.release();
          }
        };
    containerizer.addEventHandler(JibEvent.class, event -> release.run());
    copying.acquire();
    try {
      return builder.containerize(containerizer);
    } finally {
      release.run();
    }
  }
}
