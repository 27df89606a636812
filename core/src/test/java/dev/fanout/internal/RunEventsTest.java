package dev.fanout.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fanout.HostHold;
import dev.fanout.Progress;
import dev.fanout.PushReport;
import dev.fanout.RequestRetry;
import dev.fanout.RunListener;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A run's events")
class RunEventsTest {

  private final List<String> seen = new ArrayList<>();
  private final RunEvents events =
      new RunEvents(
          List.of(
              new RunListener() {
                @Override
                public void targetLog(String target, String line) {
                  seen.add(target + ": " + line);
                }

                @Override
                public void requestRetried(RequestRetry retry) {
                  seen.add(retry.target() + " retry: " + retry.describe());
                }

                @Override
                public void hostHeld(HostHold hold) {
                  seen.add(hold.target() + " hold: " + hold.describe());
                }

                @Override
                public void progress(Progress progress) {
                  seen.add(progress.subject() + " " + progress.percent() + "%");
                }

                @Override
                public void targetFinished(TargetResult result) {
                  seen.add(result.name() + " finished");
                }

                @Override
                public void finished(PushReport report) {
                  seen.add("run finished");
                }
              }));

  @Test
  @DisplayName("stop for a target at its result, while other targets' events go on")
  void targetEventsStopWithItsResult() {
    events.targetLog("hub", "pushing");
    events.targetFinished(result("hub"));
    events.targetLog("hub", "a late line from Jib");
    events.progress(new Progress("hub", 0.5, 1, 2, 10, 20));
    events.targetLog("ecr", "pushing");

    assertEquals(List.of("hub: pushing", "hub finished", "ecr: pushing"), seen);
  }

  @Test
  @DisplayName("stop altogether once the run has finished")
  void everythingStopsWithTheRun() {
    events.finished(
        new PushReport(
            Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Duration.ZERO));
    events.targetLog("ecr", "a late line from Jib");
    events.progress(new Progress(Progress.BUILD, 1.0, 0, 0, 0, 0));

    assertEquals(List.of("run finished"), seen);
  }

  @Test
  @DisplayName(
      "pass on retries and host holds with a registry's words neutralised, and no retry after the"
          + " target's result")
  void retriesNeutralised() {
    String hostile = "HTTP 429\n::error::pwned";
    events.hostHeld(new HostHold("hub.example.com", "hub", Duration.ofSeconds(3), hostile));
    events.requestRetried(
        new RequestRetry("hub", "PUT manifest 1.0.0", hostile, Duration.ofSeconds(3), 1, 5));
    events.targetFinished(result("hub"));
    events.requestRetried(
        new RequestRetry("hub", "PUT manifest 1.0.0", "late", Duration.ofSeconds(1), 2, 5));

    String safe = "HTTP 429 :\u200B:error:\u200B:pwned";
    assertEquals(
        List.of(
            "hub hold: hub.example.com asked every client to wait 3 s ("
                + safe
                + "): every"
                + " request to it waits",
            "hub retry: retrying PUT manifest 1.0.0 in 3 s after " + safe + " (try 1 of 5 failed)",
            "hub finished"),
        seen);
  }

  private static TargetResult result(String name) {
    return new TargetResult(
        "hub.example.com/acme/app",
        "oci",
        TargetStatus.FAILED,
        List.of("1.0.0"),
        Optional.empty(),
        1,
        Duration.ZERO,
        Duration.ZERO,
        "cannot connect to the registry",
        name,
        false);
  }
}
