package dev.fanout.report;

import dev.fanout.HostHold;
import dev.fanout.Plan;
import dev.fanout.Progress;
import dev.fanout.PushReport;
import dev.fanout.RequestRetry;
import dev.fanout.RunListener;
import dev.fanout.TargetResult;
import dev.fanout.internal.text.UntrustedText;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A run for people at a console: the plan, progress while bytes move, a line for each retry and
 * each host that asked to wait, a line as each target finishes, and the report's table. It needs no
 * logging library: a run with no SLF4J provider still shows its retries here.
 *
 * <p>Progress is a live bar, redrawn in place, when the output is a terminal, and a plain line
 * every {@link #PLAIN_INTERVAL} otherwise, so a CI log gets a heartbeat instead of thousands of
 * carriage returns.
 *
 * <p>What it prints of registries' text (a failed target's detail) is neutralised first ({@link
 * UntrustedText#logLine(String)}), so it can neither break a line nor act as a workflow command.
 */
public final class ConsoleReporter implements RunListener {

  /**
   * How often a plain progress line is printed when the output is not a terminal. The first comes
   * one interval after the run's first progress, so a run shorter than that logs no progress.
   */
  public static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);

  /**
   * How often the bar is redrawn on a terminal: often enough to look live, rarely enough to be
   * cheap.
   */
  static final Duration BAR_INTERVAL = Duration.ofMillis(200);

  /** The width of one target's bar, in characters. */
  static final int BAR_WIDTH = 20;

  /** How progress is shown. */
  public enum ProgressStyle {
    /** A bar per target on one line, redrawn in place: for a terminal. */
    BAR,
    /** A plain line every {@link #PLAIN_INTERVAL}: for a log file or a CI log. */
    LINES,
    /** No progress at all. */
    NONE
  }

  private final PrintStream out;
  private final ProgressStyle style;
  private final Clock clock;
  private final Map<String, Progress> latest = new LinkedHashMap<>();
  private Instant lastShown = Instant.MIN;
  private int barLength;

  ConsoleReporter(PrintStream out, ProgressStyle style, Clock clock) {
    this.out = Objects.requireNonNull(out, "out");
    this.style = Objects.requireNonNull(style, "style");
    this.clock = clock;
  }

  /**
   * A reporter that shows a bar when this process writes to a terminal, and plain lines otherwise.
   *
   * @param out where to print, usually {@code System.out}
   * @return the reporter
   */
  public static ConsoleReporter to(PrintStream out) {
    return to(out, System.console() != null ? ProgressStyle.BAR : ProgressStyle.LINES);
  }

  /**
   * A reporter with the given progress style.
   *
   * @param out where to print
   * @param style how progress is shown
   * @return the reporter
   */
  public static ConsoleReporter to(PrintStream out, ProgressStyle style) {
    return new ConsoleReporter(out, style, Clock.systemUTC());
  }

  @Override
  public synchronized void planned(Plan plan) {
    printLines(plan.toString());
  }

  @Override
  public synchronized void progress(Progress progress) {
    if (style == ProgressStyle.NONE) {
      return;
    }
    if (!progress.isBuild()) {
      // Pushes start once the build is done, whatever share Jib last reported for it.
      latest.remove(Progress.BUILD);
    }
    latest.put(progress.subject(), progress);
    Instant now = clock.instant();
    if (style == ProgressStyle.LINES && lastShown.equals(Instant.MIN)) {
      lastShown = now;
      return;
    }
    Duration interval = style == ProgressStyle.BAR ? BAR_INTERVAL : PLAIN_INTERVAL;
    if (Duration.between(lastShown, now).compareTo(interval) < 0) {
      return;
    }
    lastShown = now;
    if (style == ProgressStyle.BAR) {
      String bar =
          latest.values().stream().map(ConsoleReporter::bar).collect(Collectors.joining("  "));
      out.print("\r" + bar + " ".repeat(Math.max(0, barLength - bar.length())));
      barLength = bar.length();
    } else {
      out.println(
          "progress: "
              + latest.values().stream()
                  .map(ConsoleReporter::plain)
                  .collect(Collectors.joining("; ")));
    }
    out.flush();
  }

  /** Prints the retry at once, as {@code hub: retrying PUT manifest ... in 2 s after ...}. */
  @Override
  public synchronized void requestRetried(RequestRetry retry) {
    printLine(retry.target() + ": " + retry.describe());
  }

  /** Prints the hold at once, naming the target whose request got the answer. */
  @Override
  public synchronized void hostHeld(HostHold hold) {
    printLine(hold.target() + ": " + hold.describe());
  }

  @Override
  public synchronized void targetFinished(TargetResult result) {
    latest.remove(result.name());
    clearBar();
    out.println(
        UntrustedText.logLine(
            result.status()
                + (result.optional() ? " (optional) " : " ")
                + result.reference()
                + (result.detail().isEmpty() ? "" : ": " + result.detail())));
  }

  @Override
  public synchronized void finished(PushReport report) {
    latest.clear();
    clearBar();
    printLines(report.toString());
  }

  /**
   * Prints a plan or a report line by line, each line neutralised: they quote registries' messages
   * and git refs, which must not start lines or workflow commands of their own.
   */
  private void printLines(String text) {
    text.lines().map(UntrustedText::logLine).forEach(out::println);
  }

  /** Prints one neutralised line, the bar cleared first so that the line starts on its own. */
  private void printLine(String line) {
    clearBar();
    out.println(UntrustedText.logLine(line));
    out.flush();
  }

  private void clearBar() {
    if (barLength > 0) {
      out.print("\r" + " ".repeat(barLength) + "\r");
      barLength = 0;
    }
  }

  private static String bar(Progress progress) {
    int filled = progress.percent() * BAR_WIDTH / 100;
    return progress.subject()
        + " ["
        + "#".repeat(filled)
        + "-".repeat(BAR_WIDTH - filled)
        + "] "
        + progress.percent()
        + "%";
  }

  private static String plain(Progress progress) {
    String text = progress.subject() + " " + progress.percent() + "%";
    if (progress.blobsTotal() > 0) {
      text +=
          " ("
              + progress.blobsDone()
              + "/"
              + progress.blobsTotal()
              + " blobs, "
              + megabytes(progress.bytesDone())
              + " of "
              + megabytes(progress.bytesTotal())
              + " MB)";
    }
    return text;
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f", bytes / 1_000_000.0);
  }
}
