package dev.fanout.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Progress;
import dev.fanout.report.ConsoleReporter.ProgressStyle;
import dev.fanout.testing.MovableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The console reporter")
class ConsoleReporterTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  @DisplayName(
      "prints a plain progress line at most every five seconds when not on a terminal, the first"
          + " five seconds after the first progress, the build's until pushes start")
  void plainLines() {
    ConsoleReporter reporter = reporter(ProgressStyle.LINES);
    reporter.progress(new Progress(Progress.BUILD, 0.0, 0, 0, 0, 0));
    clock.advance(ConsoleReporter.PLAIN_INTERVAL);
    reporter.progress(new Progress(Progress.BUILD, 0.85, 0, 0, 0, 0));
    clock.advance(ConsoleReporter.PLAIN_INTERVAL);
    reporter.progress(new Progress("hub", 0.25, 1, 3, 2_500_000, 10_000_000));
    clock.advance(Duration.ofSeconds(1));
    reporter.progress(new Progress("hub", 0.5, 2, 3, 5_000_000, 10_000_000));
    reporter.progress(new Progress("deploy", 0.1, 0, 3, 0, 10_000_000));
    clock.advance(ConsoleReporter.PLAIN_INTERVAL);
    reporter.progress(new Progress("deploy", 0.2, 1, 3, 1_000_000, 10_000_000));
    assertEquals(
        List.of(
            "progress: (build) 85%",
            "progress: hub 25% (1/3 blobs, 2.5 of 10.0 MB)",
            "progress: hub 50% (2/3 blobs, 5.0 of 10.0 MB); deploy 20% (1/3 blobs, 1.0 of 10.0"
                + " MB)"),
        printed().lines().toList());
  }

  @Test
  @DisplayName("redraws one bar line in place on a terminal and clears it before a target's result")
  void bar() {
    ConsoleReporter reporter = reporter(ProgressStyle.BAR);
    reporter.progress(new Progress("hub", 0.5, 1, 2, 10, 20));
    clock.advance(ConsoleReporter.BAR_INTERVAL);
    reporter.progress(new Progress("hub", 1.0, 2, 2, 20, 20));
    reporter.targetFinished(Reports.pushed());
    String hubHalf = "hub [##########----------] 50%";
    String hubFull = "hub [####################] 100%";
    assertEquals(
        "\r"
            + hubHalf
            + "\r"
            + hubFull
            + "\r"
            + " ".repeat(hubFull.length())
            + "\r"
            + "PUSHED hub.example.com/acme/app: after HTTP 429 Too Many Requests\n",
        printed());
  }

  @Test
  @DisplayName("prints the plan, each result and the report's table")
  void planAndReport() {
    ConsoleReporter reporter = reporter(ProgressStyle.NONE);
    reporter.planned(Reports.plan(List.of()));
    reporter.progress(new Progress("hub", 0.5, 1, 2, 10, 20));
    reporter.targetFinished(Reports.failed());
    reporter.finished(Reports.report());
    String printed = printed();
    assertTrue(printed.startsWith("Plan: build once from Jib container builder"), printed);
    assertTrue(
        printed.contains("FAILED (optional) mirror.example.com/acme/app: HTTP 503"), printed);
    assertTrue(printed.contains("Report: image " + Reports.DIGEST), printed);
    assertTrue(!printed.contains("50%"), printed);
  }

  @Test
  @DisplayName("prints a registry's detail on its own line, where it cannot run a workflow command")
  void hostileDetail() {
    ConsoleReporter reporter = reporter(ProgressStyle.NONE);
    reporter.targetFinished(Reports.hostile());
    reporter.finished(Reports.hostileReport());
    String printed = printed();
    assertTrue(
        printed.startsWith("FAILED evil.example.com/acme/app: denied :\u200B:warning:\u200B:pwned"),
        printed);
    for (String line : printed.split("\r\n|[\r\n\u0085\u2028\u2029]")) {
      assertFalse(line.contains("::") || line.contains("##["), line);
    }
  }

  @Test
  @DisplayName(
      "prints each retry and each host hold on a line of its own as it happens, the bar cleared"
          + " first")
  void retriesAndHolds() {
    ConsoleReporter reporter = reporter(ProgressStyle.BAR);
    reporter.progress(new Progress("hub", 0.5, 1, 2, 10, 20));
    reporter.hostHeld(Reports.hold());
    reporter.requestRetried(Reports.retry());

    String hubHalf = "hub [##########----------] 50%";
    assertEquals(
        "\r"
            + hubHalf
            + "\r"
            + " ".repeat(hubHalf.length())
            + "\r"
            + "hub: hub.example.com asked every client to wait 1 s (HTTP 429 Too Many Requests):"
            + " every request to it waits\n"
            + "hub: retrying PUT manifest 1.2.3 on hub.example.com/acme/app in 1 s after HTTP 429"
            + " Too Many Requests (try 1 of 5 failed)\n",
        printed().replace(System.lineSeparator(), "\n"));
  }

  private ConsoleReporter reporter(ProgressStyle style) {
    return new ConsoleReporter(new PrintStream(out, true, StandardCharsets.UTF_8), style, clock);
  }

  private String printed() {
    return out.toString(StandardCharsets.UTF_8);
  }
}
