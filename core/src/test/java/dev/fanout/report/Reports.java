package dev.fanout.report;

import dev.fanout.HostHold;
import dev.fanout.Plan;
import dev.fanout.PlannedTarget;
import dev.fanout.PushReport;
import dev.fanout.RequestRetry;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A plan and a report as a run of three targets would give them: pushed, skipped, failed. */
final class Reports {

  static final String DIGEST = "sha256:" + "ab".repeat(32);

  private Reports() {}

  static Plan plan(List<String> problems) {
    return new Plan(
        "Jib container builder",
        Optional.empty(),
        List.of(
            new PlannedTarget(
                "hub.example.com/acme/app",
                "oci",
                List.of("1.2.3", "latest"),
                true,
                "on a version tag",
                "hub",
                false),
            new PlannedTarget(
                "deploy.example.com/acme/app",
                "oci",
                List.of(),
                false,
                "not on branch main",
                "deploy",
                false),
            new PlannedTarget(
                "mirror.example.com/acme/app",
                "oci",
                List.of("1.2.3"),
                true,
                "always",
                "mirror",
                true)),
        problems,
        List.of());
  }

  static TargetResult pushed() {
    return new TargetResult(
        "hub.example.com/acme/app",
        "oci",
        TargetStatus.PUSHED,
        List.of("1.2.3", "latest"),
        Optional.of(DIGEST),
        2,
        Duration.ofMillis(3100),
        Duration.ofMillis(1000),
        "after HTTP 429 Too Many Requests",
        "hub",
        false);
  }

  static TargetResult skipped() {
    return new TargetResult(
        "deploy.example.com/acme/app",
        "oci",
        TargetStatus.SKIPPED,
        List.of(),
        Optional.empty(),
        0,
        Duration.ZERO,
        Duration.ZERO,
        "not on branch main: tag v1.2.3 (GitHub Actions)",
        "deploy",
        false);
  }

  static TargetResult failed() {
    return new TargetResult(
        "mirror.example.com/acme/app",
        "oci",
        TargetStatus.FAILED,
        List.of("1.2.3"),
        Optional.empty(),
        1,
        Duration.ofMillis(200),
        Duration.ZERO,
        "HTTP 503 Service | Unavailable\nretry later, 100%",
        "mirror",
        true);
  }

  /** What a hostile registry would make a failed target's detail say. */
  static final String HOSTILE =
      "denied\r::warning::pwned ##[stop-commands]x [login](https://evil.example) <b>|</b> \ud800";

  static TargetResult hostile() {
    return new TargetResult(
        "evil.example.com/acme/app",
        "oci",
        TargetStatus.FAILED,
        List.of("1.2.3"),
        Optional.empty(),
        1,
        Duration.ofMillis(100),
        Duration.ZERO,
        HOSTILE,
        "evil",
        false);
  }

  static PushReport hostileReport() {
    return new PushReport(
        Optional.empty(),
        Optional.empty(),
        Optional.of("the image build failed: " + HOSTILE),
        List.of(hostile(), skipped()),
        Duration.ofMillis(300));
  }

  /** The retry that {@link #pushed()}'s second attempt followed. */
  static RequestRetry retry() {
    return new RequestRetry(
        "hub",
        "PUT manifest 1.2.3 on hub.example.com/acme/app",
        "HTTP 429 Too Many Requests",
        Duration.ofMillis(1000),
        1,
        5);
  }

  /** The hold that answer put on its host. */
  static HostHold hold() {
    return new HostHold(
        "hub.example.com", "hub", Duration.ofSeconds(1), "HTTP 429 Too Many Requests");
  }

  /** A report whose one detail holds line separators, a line break, a quote and a backslash. */
  static PushReport lineSeparatedReport() {
    return new PushReport(
        Optional.empty(),
        Optional.empty(),
        Optional.of("a\u2028b\u2029c\n\"d\\"),
        List.of(),
        Duration.ZERO);
  }

  static PushReport report() {
    return new PushReport(
        Optional.of(DIGEST),
        Optional.of(Path.of("target/app.tar")),
        Optional.empty(),
        List.of(pushed(), skipped(), failed()),
        Duration.ofMillis(4200));
  }
}
