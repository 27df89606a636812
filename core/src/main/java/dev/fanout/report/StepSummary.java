package dev.fanout.report;

import dev.fanout.PushReport;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import java.time.Duration;
import java.util.Locale;

/** The report as GitHub-flavoured Markdown, for a step summary. */
final class StepSummary {

  /**
   * The longest detail shown in a cell; the whole of it is in the step's log and the JSON report. A
   * step summary may hold 1 MiB, so even hundreds of targets stay far below it.
   */
  static final int MAX_DETAIL = 300;

  private StepSummary() {}

  static String render(PushReport report) {
    StringBuilder text = new StringBuilder("### Fanout\n\n");
    text.append(
        report
            .digest()
            .map(digest -> "Built `" + digest + "` once")
            .orElseGet(
                () ->
                    report
                        .buildFailure()
                        .map(StepSummary::cell)
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
      text.append("| `")
          .append(result.name())
          .append("`<br>")
          .append(cell(result.reference()))
          .append(" | ")
          .append(status(result))
          .append(" | ")
          .append(String.join(" ", result.tags().stream().map(tag -> "`" + tag + "`").toList()))
          .append(" | ")
          .append(result.attempts())
          .append(" | ")
          .append(seconds(result.duration()))
          .append(" | ")
          .append(cell(shorten(result.detail())))
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

  /** Text made safe for a table cell: no line breaks, no column bars, no HTML. */
  private static String cell(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
        .replaceAll("\\R", " ");
  }

  private static String shorten(String text) {
    return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL - 1) + "…";
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }
}
