package dev.fanout.report;

import dev.fanout.HostHold;
import dev.fanout.PushReport;
import dev.fanout.RequestRetry;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.internal.text.UntrustedText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report as GitHub-flavoured Markdown, for a step summary. Every text that may come from
 * outside (a detail, the build's failure, which quote registries and git refs) is a code span
 * ({@link UntrustedText#markdownCell(String)}): shown as it is, never as a link, an image or HTML.
 */
final class StepSummary {

  /**
   * The longest detail shown in a cell; the whole of it is in the step's log and the JSON report. A
   * step summary may hold 1 MiB, so even hundreds of targets stay far below it.
   */
  static final int MAX_DETAIL = 300;

  /**
   * The most retries and holds listed below the table; a run against a registry that limits hard
   * may retry hundreds of times, and every one is in the step's log.
   */
  static final int MAX_WAITS = 30;

  private StepSummary() {}

  static String render(PushReport report, List<RequestRetry> retries, List<HostHold> holds) {
    StringBuilder text = new StringBuilder(render(report));
    List<String> waits = new ArrayList<>();
    holds.forEach(
        hold ->
            waits.add(
                UntrustedText.markdownCell(hold.host())
                    + " asked every client to wait "
                    + seconds(hold.delay())
                    + " after "
                    + UntrustedText.markdownCell(hold.reason())
                    + " (answering "
                    + UntrustedText.markdownCell(hold.target())
                    + ")"));
    retries.forEach(
        retry ->
            waits.add(
                UntrustedText.markdownCell(retry.target())
                    + ": retried "
                    + UntrustedText.markdownCell(retry.request())
                    + " after "
                    + UntrustedText.markdownCell(retry.reason())
                    + ", waiting "
                    + seconds(retry.delay())
                    + " (try "
                    + retry.attempt()
                    + " of "
                    + retry.maxAttempts()
                    + " failed)"));
    if (waits.isEmpty()) {
      return text.toString();
    }
    text.append("\n#### Retries and waits\n\n");
    waits.stream().limit(MAX_WAITS).forEach(line -> text.append("- ").append(line).append('\n'));
    if (waits.size() > MAX_WAITS) {
      text.append("- and ")
          .append(waits.size() - MAX_WAITS)
          .append(" more; the step's log shows each under its target\n");
    }
    return text.toString();
  }

  static String render(PushReport report) {
    StringBuilder text = new StringBuilder("### Fanout\n\n");
    text.append(
        report
            .digest()
            .map(digest -> "Built " + UntrustedText.markdownCell(digest) + " once")
            .orElseGet(
                () ->
                    report
                        .buildFailure()
                        .map(UntrustedText::markdownCell)
                        .orElse("No image digest (nothing was pushed or written)")));
    long pushed = report.withStatus(TargetStatus.PUSHED).size();
    long skipped = report.withStatus(TargetStatus.SKIPPED).size();
    long failed = report.withStatus(TargetStatus.FAILED).size();
    text.append(": ")
        .append(pushed)
        .append(" pushed, ")
        .append(failed)
        .append(" failed, ")
        .append(skipped)
        .append(" skipped, in ")
        .append(seconds(report.duration()))
        .append(".\n\n");
    text.append("| Target | Status | Tags | Attempts | Time | Detail |\n");
    text.append("| --- | --- | --- | --- | --- | --- |\n");
    for (TargetResult result : report.results()) {
      text.append("| ")
          .append(UntrustedText.markdownCell(result.name()))
          .append("<br>")
          // A reference the plan checked: registry, repository, tag characters only.
          .append(result.reference())
          .append(" | ")
          .append(status(result))
          .append(" | ")
          .append(
              String.join(" ", result.tags().stream().map(UntrustedText::markdownCell).toList()))
          .append(" | ")
          .append(result.attempts())
          .append(" | ")
          .append(seconds(result.duration()))
          .append(" | ")
          .append(UntrustedText.markdownCell(shorten(result.detail())))
          .append(" |\n");
    }
    return text.toString();
  }

  private static String status(TargetResult result) {
    String mark =
        switch (result.status()) {
          case PUSHED -> "✅ pushed";
          case SKIPPED -> "⏭️ skipped";
          case FAILED -> "❌ failed";
        };
    return result.optional() ? mark + " (optional)" : mark;
  }

  private static String shorten(String text) {
    if (text.codePointCount(0, text.length()) <= MAX_DETAIL) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, MAX_DETAIL - 1)) + "…";
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }
}
