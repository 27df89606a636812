package dev.fanout.internal;

import dev.fanout.Plan;
import dev.fanout.Progress;
import dev.fanout.PushReport;
import dev.fanout.RunListener;
import dev.fanout.TargetResult;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes a run's events to the caller's {@link RunListener}s, each in turn, so that one listener
 * that throws neither stops the others nor the run.
 */
final class RunEvents {

  private static final Logger LOG = LoggerFactory.getLogger(RunEvents.class);

  private final List<RunListener> listeners;

  RunEvents(List<RunListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  void secretHeld(String secret) {
    each(listener -> listener.secretHeld(secret), "secretHeld");
  }

  void planned(Plan plan) {
    each(listener -> listener.planned(plan), "planned");
  }

  void targetLog(String target, String line) {
    each(listener -> listener.targetLog(target, line), "targetLog");
  }

  void progress(Progress progress) {
    each(listener -> listener.progress(progress), "progress");
  }

  void targetFinished(TargetResult result) {
    each(listener -> listener.targetFinished(result), "targetFinished");
  }

  void finished(PushReport report) {
    each(listener -> listener.finished(report), "finished");
  }

  private void each(Consumer<RunListener> call, String event) {
    for (RunListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        // The exception's message is not logged: a listener's own message might quote a secret.
        LOG.warn(
            "run listener {} failed on {} ({})",
            listener.getClass().getName(),
            event,
            e.getClass().getName());
      }
    }
  }
}
