package dev.fanout.internal;

import dev.fanout.HostHold;
import dev.fanout.Plan;
import dev.fanout.Progress;
import dev.fanout.PushReport;
import dev.fanout.RequestRetry;
import dev.fanout.RunListener;
import dev.fanout.TargetResult;
import dev.fanout.internal.text.UntrustedText;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes a run's events to the caller's {@link RunListener}s, each in turn, so that one listener
 * that throws neither stops the others nor the run.
 *
 * <p>A target's log lines and progress stop with its result, and every event stops with the run's
 * report. Jib keeps running the steps of a failed containerization on its own threads after {@code
 * containerize} has thrown, and their late log events would otherwise reach listeners after the
 * target's result, or even after {@code finished}.
 */
final class RunEvents {

  private static final Logger LOG = LoggerFactory.getLogger(RunEvents.class);

  private final List<RunListener> listeners;
  private final Set<String> finishedTargets = ConcurrentHashMap.newKeySet();
  private volatile boolean runFinished;

  RunEvents(List<RunListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /**
   * Tells the listeners of a secret to mask. Not after the run's report: a redactor hears of the
   * credentials read anywhere in the process, and a finished run has nothing left to mask.
   */
  void secretHeld(String secret) {
    if (runFinished) {
      return;
    }
    each(listener -> listener.secretHeld(secret), "secretHeld");
  }

  void planned(Plan plan) {
    each(listener -> listener.planned(plan), "planned");
  }

  /**
   * Passes on a line of a target's log, neutralised: such lines quote registries, and every
   * listener, whatever it prints them to, gets a line that cannot act as a workflow command.
   */
  void targetLog(String target, String line) {
    if (isOver(target)) {
      return;
    }
    String safe = UntrustedText.logLine(line);
    each(listener -> listener.targetLog(target, safe), "targetLog");
  }

  /** Passes on a retry, its texts neutralised as a log line's are: the reason quotes a registry. */
  void requestRetried(RequestRetry retry) {
    if (isOver(retry.target())) {
      return;
    }
    RequestRetry safe =
        new RequestRetry(
            retry.target(),
            UntrustedText.logLine(retry.request()),
            UntrustedText.logLine(retry.reason()),
            retry.delay(),
            retry.attempt(),
            retry.maxAttempts());
    each(listener -> listener.requestRetried(safe), "requestRetried");
  }

  /** Passes on a host's hold, its texts neutralised as a log line's are. */
  void hostHeld(HostHold hold) {
    if (runFinished) {
      return;
    }
    HostHold safe =
        new HostHold(
            UntrustedText.logLine(hold.host()),
            hold.target(),
            hold.delay(),
            UntrustedText.logLine(hold.reason()));
    each(listener -> listener.hostHeld(safe), "hostHeld");
  }

  void progress(Progress progress) {
    if (isOver(progress.subject())) {
      return;
    }
    each(listener -> listener.progress(progress), "progress");
  }

  void targetFinished(TargetResult result) {
    finishedTargets.add(result.name());
    each(listener -> listener.targetFinished(result), "targetFinished");
  }

  void finished(PushReport report) {
    runFinished = true;
    each(listener -> listener.finished(report), "finished");
  }

  private boolean isOver(String target) {
    return runFinished || finishedTargets.contains(target);
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
