package dev.fanout.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fanout.Progress;
import dev.fanout.PushReport;
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
