package dev.fanout.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Environment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The GitHub Actions integration")
class GitHubActionsTest {

  @TempDir Path folder;

  private Path output;
  private Path summary;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private GitHubActions actions;

  @BeforeEach
  void setUp() {
    output = folder.resolve("output");
    summary = folder.resolve("summary.md");
    actions =
        GitHubActions.fromEnvironment(
                Environment.of(
                    Map.of(
                        "GITHUB_ACTIONS", "true",
                        "GITHUB_OUTPUT", output.toString(),
                        "GITHUB_STEP_SUMMARY", summary.toString())),
                new PrintStream(log, true, StandardCharsets.UTF_8))
            .orElseThrow();
  }

  @Test
  @DisplayName("is off outside GitHub Actions")
  void offElsewhere() {
    assertTrue(
        GitHubActions.fromEnvironment(Environment.of(Map.of("CI", "true")), System.out).isEmpty());
  }

  @Test
  @DisplayName("masks each line of a secret, escaped as the runner reads it")
  void masks() {
    actions.secretHeld("first-line-100%\n  second-line\n\n");
    assertEquals(
        List.of("::add-mask::first-line-100%25", "::add-mask::second-line"),
        printed().lines().toList());
  }

  @Test
  @DisplayName(
      "writes enabled-<target> for each target when planned, and an error for each plan problem")
  void planned() throws Exception {
    actions.planned(Reports.plan(List.of("target 'x': bad,\nreally")));
    assertEquals(
        List.of("enabled-hub=true", "enabled-deploy=false", "enabled-mirror=true"),
        Files.readAllLines(output));
    assertEquals("::error title=Fanout plan::target 'x': bad,%0Areally\n", printed());
  }

  @Test
  @DisplayName(
      "prints a target's log as one group, where a registry's text cannot run a workflow command")
  void groups() {
    actions.targetLog("hub", "readied: push to hub.example.com/acme/app");
    actions.targetLog("mirror", "attempt failed");
    actions.targetLog("hub", "::add-mask::from-a-registry");
    actions.targetFinished(Reports.pushed());

    List<String> lines = printed().lines().toList();
    assertEquals("::group::hub: PUSHED hub.example.com/acme/app", lines.get(0));
    Matcher stop = Pattern.compile("::stop-commands::(\\S+)").matcher(lines.get(1));
    assertTrue(stop.matches(), lines::toString);
    assertEquals(
        List.of(
            "readied: push to hub.example.com/acme/app",
            ":\u200B:add-mask:\u200B:from-a-registry",
            "::" + stop.group(1) + "::",
            "::endgroup::"),
        lines.subList(2, lines.size()));
  }

  @Test
  @DisplayName("reports a failed target as an error annotation, saying when it is optional")
  void failedTarget() {
    actions.targetFinished(Reports.failed());
    String error =
        printed().lines().filter(line -> line.startsWith("::error")).findFirst().orElseThrow();
    assertEquals(
        "::error title=Fanout%3A mirror failed::mirror.example.com/acme/app (optional; the run"
            + " still succeeds): HTTP 503 Service | Unavailable%0Aretry later, 100%25",
        error);
  }

  @Test
  @DisplayName(
      "writes pushed-<target>, the digest and the images when finished, and the report as a"
          + " Markdown table")
  void finished() throws Exception {
    actions.finished(Reports.report());

    List<String> lines = Files.readAllLines(output);
    assertEquals(
        List.of(
            "pushed-hub=true",
            "pushed-deploy=false",
            "pushed-mirror=false",
            "digest=" + Reports.DIGEST),
        lines.subList(0, 4));
    Matcher heredoc = Pattern.compile("images<<(fanout_\\S+)").matcher(lines.get(4));
    assertTrue(heredoc.matches(), lines::toString);
    assertEquals(
        List.of(
            "hub.example.com/acme/app:1.2.3", "hub.example.com/acme/app:latest", heredoc.group(1)),
        lines.subList(5, lines.size()));

    String markdown = Files.readString(summary);
    assertTrue(
        markdown.contains("Built `" + Reports.DIGEST + "` once: 1 pushed, 1 failed, 1 skipped"),
        markdown);
    assertTrue(
        markdown.contains("| Target | Status | Tags | Attempts | Time | Detail |"), markdown);
    assertTrue(
        markdown.contains(
            "| `hub`<br>hub.example.com/acme/app | ✅ pushed | `1.2.3` `latest` | 2 | 3.1 s |"
                + " `after HTTP 429 Too Many Requests` |"),
        markdown);
    assertTrue(
        markdown.contains(
            "| ❌ failed (optional) | `1.2.3` | 1 | 0.2 s | `HTTP 503 Service \\| Unavailable retry"
                + " later, 100%` |"),
        markdown);
  }

  @Test
  @DisplayName(
      "completes its outputs and summary whatever a registry's text holds, and runs none of it")
  void survivesAnyText() throws Exception {
    actions.targetLog("evil", Reports.HOSTILE);
    actions.targetFinished(Reports.hostile());
    actions.finished(Reports.hostileReport());

    for (String line : printed().split("\r\n|[\r\n\u0085\u2028\u2029]")) {
      String data =
          line.replaceFirst(
              "^::(group|endgroup|stop-commands|error title=[^:]*|fanout-[0-9a-f-]+)::", "");
      assertFalse(data.contains("::") || data.contains("##["), line);
    }
    assertTrue(Files.readAllLines(output).contains("pushed-evil=false"));
    String markdown = Files.readString(summary);
    assertTrue(markdown.contains("| `evil`<br>evil.example.com/acme/app | ❌ failed |"), markdown);
    assertTrue(markdown.contains("| `deploy`<br>"), "the summary was cut: " + markdown);
    String outsideCode = markdown.replaceAll("`[^`]*`", "");
    assertFalse(outsideCode.contains("](http") || outsideCode.contains("<b>"), markdown);
  }

  @Test
  @DisplayName(
      "shows a target's retries and the holds it met in its group, and lists them in the summary")
  void retriesAndHolds() throws Exception {
    actions.targetLog("hub", "readied: push to hub.example.com/acme/app");
    actions.hostHeld(Reports.hold());
    actions.requestRetried(Reports.retry());
    actions.targetFinished(Reports.pushed());
    actions.finished(Reports.report());

    List<String> lines = printed().lines().toList();
    assertEquals(
        List.of(
            "readied: push to hub.example.com/acme/app",
            "hub.example.com asked every client to wait 1 s (HTTP 429 Too Many Requests): every"
                + " request to it waits",
            "retrying PUT manifest 1.2.3 on hub.example.com/acme/app in 1 s after HTTP 429 Too"
                + " Many Requests (try 1 of 5 failed)"),
        lines.subList(2, 5));
    String markdown = Files.readString(summary);
    assertTrue(
        markdown.contains(
            "|\n\n#### Retries and waits\n\n"
                + "- `hub.example.com` asked every client to wait 1.0 s after `HTTP 429 Too Many"
                + " Requests` (answering `hub`)\n"
                + "- `hub`: retried `PUT manifest 1.2.3 on hub.example.com/acme/app` after `HTTP"
                + " 429 Too Many Requests`, waiting 1.0 s (try 1 of 5 failed)\n"),
        markdown);
  }

  private String printed() {
    return log.toString(StandardCharsets.UTF_8);
  }
}
