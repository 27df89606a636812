package dev.fanout.report;

import dev.fanout.Environment;
import dev.fanout.HostHold;
import dev.fanout.Plan;
import dev.fanout.PlannedTarget;
import dev.fanout.PushReport;
import dev.fanout.RequestRetry;
import dev.fanout.RunListener;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.internal.text.UntrustedText;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Speaks to GitHub Actions while a run happens, in place of the {@code prepare} job, {@code
 * docker/login-action} and {@code docker/metadata-action}'s outputs:
 *
 * <ul>
 *   <li>{@code ::add-mask::} for every secret the moment Fanout holds it, each line of a multi-line
 *       secret on its own, as the runner masks single lines only;
 *   <li>{@code $GITHUB_OUTPUT}: {@code enabled-<target>=true|false} for each target once the run is
 *       planned; {@code pushed-<target>=true|false}, {@code digest} and {@code images} (one {@code
 *       reference:tag} per line) when it finishes;
 *   <li>{@code $GITHUB_STEP_SUMMARY}: the report as a Markdown table, and the run's retries and
 *       host holds below it;
 *   <li>{@code ::group::} around each target's log, printed whole when the target finishes, since
 *       targets run side by side and their lines would otherwise interleave; its retries and the
 *       holds its requests met are lines of that log;
 *   <li>{@code ::error::} for each failed target and each plan problem.
 * </ul>
 *
 * <p>Target logs, details and plan problems hold text from registries and git, so every such text
 * is neutralised ({@link UntrustedText}): no line break, control character, {@code ::} or {@code
 * ##[} of theirs reaches the log, and a registry's message can never run a workflow command. Target
 * logs are also printed between {@code ::stop-commands::} and a token of the run's own.
 */
public final class GitHubActions implements RunListener {

  /** The variable GitHub sets to {@code true} in every step. */
  public static final String ACTIONS_VARIABLE = "GITHUB_ACTIONS";

  /** The variable naming the file a step appends its outputs to. */
  public static final String OUTPUT_VARIABLE = "GITHUB_OUTPUT";

  /** The variable naming the file a step appends its Markdown summary to. */
  public static final String SUMMARY_VARIABLE = "GITHUB_STEP_SUMMARY";

  private final PrintStream log;
  private final Optional<Path> output;
  private final Optional<Path> summary;
  private final Map<String, List<String>> targetLogs = new ConcurrentHashMap<>();
  private final List<RequestRetry> retries = new ArrayList<>();
  private final List<HostHold> holds = new ArrayList<>();

  private GitHubActions(PrintStream log, Optional<Path> output, Optional<Path> summary) {
    this.log = log;
    this.output = output;
    this.summary = summary;
  }

  /**
   * The integration, when the run is a GitHub Actions step ({@code GITHUB_ACTIONS=true}).
   *
   * @param environment the variables the pipeline sees; {@code GITHUB_OUTPUT} and {@code
   *     GITHUB_STEP_SUMMARY} name the files to append to, and either may be missing
   * @param log the step's log, where workflow commands go: the process's standard output
   * @return the listener, or empty outside GitHub Actions
   */
  public static Optional<GitHubActions> fromEnvironment(Environment environment, PrintStream log) {
    Objects.requireNonNull(log, "log");
    if (!environment.value(ACTIONS_VARIABLE).orElse("").equals("true")) {
      return Optional.empty();
    }
    return Optional.of(
        new GitHubActions(
            log,
            environment.value(OUTPUT_VARIABLE).map(Path::of),
            environment.value(SUMMARY_VARIABLE).map(Path::of)));
  }

  @Override
  public void secretHeld(String secret) {
    synchronized (log) {
      secret
          .lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty())
          .forEach(line -> log.println("::add-mask::" + escapeMask(line)));
      log.flush();
    }
  }

  @Override
  public void planned(Plan plan) {
    List<String> lines = new ArrayList<>();
    for (PlannedTarget target : plan.targets()) {
      lines.add("enabled-" + target.name() + "=" + target.enabled());
    }
    appendOutput(lines);
    synchronized (log) {
      plan.problems()
          .forEach(
              problem ->
                  log.println(
                      "::error title=Fanout plan::" + UntrustedText.workflowCommandData(problem)));
      log.flush();
    }
  }

  @Override
  public void targetLog(String target, String line) {
    List<String> lines = targetLogs.computeIfAbsent(target, name -> new ArrayList<>());
    synchronized (lines) {
      lines.add(line);
    }
  }

  @Override
  public void requestRetried(RequestRetry retry) {
    synchronized (retries) {
      retries.add(retry);
    }
    targetLog(retry.target(), retry.describe());
  }

  @Override
  public void hostHeld(HostHold hold) {
    synchronized (holds) {
      holds.add(hold);
    }
    targetLog(hold.target(), hold.describe());
  }

  @Override
  public void targetFinished(TargetResult result) {
    List<String> lines = targetLogs.getOrDefault(result.name(), List.of());
    String token = "fanout-" + UUID.randomUUID();
    synchronized (log) {
      log.println(
          "::group::"
              + UntrustedText.workflowCommandData(
                  result.name() + ": " + result.status() + " " + result.reference()));
      log.println("::stop-commands::" + token);
      synchronized (lines) {
        lines.forEach(line -> log.println(UntrustedText.logLine(line)));
      }
      log.println("::" + token + "::");
      log.println("::endgroup::");
      if (result.status() == TargetStatus.FAILED) {
        log.println(
            "::error title="
                + UntrustedText.workflowCommandProperty("Fanout: " + result.name() + " failed")
                + "::"
                + UntrustedText.workflowCommandData(
                    result.reference()
                        + (result.optional() ? " (optional; the run still succeeds)" : "")
                        + ": "
                        + result.detail()));
      }
      log.flush();
    }
  }

  @Override
  public void finished(PushReport report) {
    List<String> lines = new ArrayList<>();
    for (TargetResult result : report.results()) {
      lines.add("pushed-" + result.name() + "=" + (result.status() == TargetStatus.PUSHED));
    }
    lines.add("digest=" + UntrustedText.logLine(report.digest().orElse("")));
    String delimiter = "fanout_" + UUID.randomUUID();
    lines.add("images<<" + delimiter);
    report
        .results()
        .forEach(
            result -> result.images().forEach(image -> lines.add(UntrustedText.logLine(image))));
    lines.add(delimiter);
    appendOutput(lines);
    List<RequestRetry> allRetries;
    synchronized (retries) {
      allRetries = List.copyOf(retries);
    }
    List<HostHold> allHolds;
    synchronized (holds) {
      allHolds = List.copyOf(holds);
    }
    summary.ifPresent(
        file -> append(file, List.of(StepSummary.render(report, allRetries, allHolds))));
  }

  private void appendOutput(List<String> lines) {
    output.ifPresent(file -> append(file, lines));
  }

  private static synchronized void append(Path file, List<String> lines) {
    try {
      Files.write(
          file,
          lines,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }

  /**
   * Escapes a secret for {@code ::add-mask::} as actions/toolkit's {@code escapeData} does, and
   * nothing more: the runner must mask the secret exactly as it may later be printed.
   */
  private static String escapeMask(String line) {
    return line.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }
}
