package dev.fanout.internal;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.JibEvent;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A caller's handler for one type of Jib event, kept with its type so it can be added to every
 * containerizer of a run.
 *
 * @param type the event type
 * @param handler the handler
 * @param <E> the event type
 */
public record JibEventHandler<E extends JibEvent>(Class<E> type, Consumer<? super E> handler) {

  /** Checks the fields. */
  public JibEventHandler {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(handler, "handler");
  }

  void addTo(Containerizer containerizer) {
    containerizer.addEventHandler(type, handler);
  }
}
