package dev.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import dev.fanout.report.ConsoleReporter;
import dev.fanout.report.GitHubActions;
import dev.fanout.report.JsonReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run against registries that answer as an attacker would, under a simulated GitHub Actions step
 * ({@code GITHUB_ACTIONS=true}, output and summary files, standard output and error captured),
 * driven through the public API alone and judged by what was printed and written.
 *
 * <p>One registry refuses with 400 and a JSON error body, the other with 500 and a reason phrase,
 * which is retried once, so that the retry's log line is judged too; both send hostile {@code
 * Warning} headers. Their text tries every way into the runner: bare {@code \r}, {@code \n}, U+2028
 * and U+0085 before {@code ::command::}, the legacy {@code ##[...]} anywhere in a line, Markdown
 * links and images, HTML, a lone surrogate, and the run's own credential quoted back as base64
 * {@code user:password} and JSON-escaped.
 */
@DisplayName("A run against a hostile registry")
class HostileRegistryTest {

  private static final String USER = "robot";

  /** With a quote and a backslash, so that its JSON-escaped form differs from it. */
  private static final String PASSWORD = "pa\"ss\\w0rd-7c1e";

  private static final String BASIC =
      Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

  private static final String JSON_ESCAPED_PASSWORD = "pa\\\"ss\\\\w0rd-7c1e";

  /** What the body says: every trick at once, with the credential quoted back. */
  private static final String MESSAGE =
      "denied\r"
          + "::warning::pwned-cr\u2028::notice::pwned-ls\u0085::debug::pwned-nel"
          + " ##[stop-commands]pwned-legacy ::add-mask::pwned-mask"
          + " \u001b]8;;https://evil.example\u0007osc-link\u001b]8;;\u0007 \u001b[2J"
          + " [re-authenticate here](https://evil.example/login)"
          + " ![](https://evil.example/pixel.png) <img src=x onerror=alert(1)> | broken \ud800"
          + " Authorization: Basic "
          + BASIC
          + " password \""
          + JSON_ESCAPED_PASSWORD
          + "\"\n::error::pwned-lf";

  /** What the reason phrase and headers say: no line breaks, which would end them. */
  private static final String HEADER_TEXT =
      "::warning::pwned-header ##[group]pwned-header [login](https://evil.example/h) " + BASIC;

  /** A workflow command Fanout writes: the command, then the text after its {@code ::}. */
  private static final Pattern FANOUT_COMMAND =
      Pattern.compile(
          "^::(add-mask|group|endgroup|stop-commands|error title=[^:]*|fanout-[0-9a-f-]+)::");

  /** Where the runner ends a line: {@code \n}, a bare {@code \r}, and the Unicode breaks. */
  private static final Pattern RUNNER_LINE_BREAK = Pattern.compile("\r\n|[\r\n\u0085\u2028\u2029]");

  @TempDir Path folder;

  @Test
  @DisplayName(
      "prints no workflow command of its own, masks first, links nothing, writes valid JSON and"
          + " never the credential")
  void hostileText() throws Exception {
    Path output = folder.resolve("github-output");
    Path summary = folder.resolve("step-summary.md");
    Path json = folder.resolve("report.json");
    Path layer = Files.writeString(folder.resolve("hello.txt"), "hello");
    Environment environment =
        Environment.of(
            Map.of(
                "GITHUB_ACTIONS", "true",
                "GITHUB_OUTPUT", output.toString(),
                "GITHUB_STEP_SUMMARY", summary.toString()));
    Captured printed;
    try (HostileRegistry refusing = new HostileRegistry(400, "Bad Request", HEADER_TEXT, MESSAGE);
        HostileRegistry failing =
            new HostileRegistry(500, "::error::pwned-reason ##[pwned] " + BASIC, HEADER_TEXT, "")) {
      printed =
          Captured.run(
              out -> {
                PipelineBuilder pipeline =
                    Pipeline.prepare(environment)
                        .image(
                            Jib.fromScratch()
                                .addLayer(List.of(layer), AbsoluteUnixPath.get("/app")))
                        .retryPolicy(
                            RetryPolicy.custom()
                                .maxAttempts(2)
                                .initialBackoff(Duration.ofMillis(10))
                                .jitter(0)
                                .build())
                        .push(target(refusing, "refusing"))
                        .push(target(failing, "failing"))
                        .listener(ConsoleReporter.to(out, ConsoleReporter.ProgressStyle.NONE))
                        .listener(JsonReport.to(json));
                GitHubActions.fromEnvironment(environment, out).ifPresent(pipeline::listener);
                PushReport report = pipeline.run();
                assertEquals(2, report.withStatus(TargetStatus.FAILED).size(), report::toString);
              });
    }
    // The runner hides each ::add-mask:: line itself: those are the one place a secret is written.
    String unmasked =
        printed
            .stdout()
            .lines()
            .filter(line -> !line.startsWith("::add-mask::"))
            .toList()
            .toString();
    String everything =
        unmasked
            + printed.stderr()
            + Files.readString(output)
            + Files.readString(summary)
            + Files.readString(json);

    List<String> lines = new ArrayList<>(runnerLines(printed.stdout()));
    lines.addAll(runnerLines(printed.stderr()));
    for (String line : lines) {
      String data = FANOUT_COMMAND.matcher(line).replaceFirst("");
      assertFalse(data.contains("::"), () -> "a workflow command Fanout did not write: " + line);
      assertFalse(data.contains("##["), () -> "a legacy workflow command: " + line);
    }
    assertTrue(everything.contains("pwned-legacy"), "the registry's text was never shown");
    assertFalse(everything.contains("\u001b]8;"), "a terminal hyperlink from the registry");

    List<String> stdout = runnerLines(printed.stdout());
    int lastMask = lastIndexOf(stdout, "::add-mask::");
    int firstRegistryText = firstIndexOf(stdout, "pwned");
    assertTrue(lastMask >= 0 && lastMask < firstRegistryText, printed::stdout);

    String markdown = Files.readString(summary);
    assertFalse(
        Pattern.compile("(?<!`)\\]\\(https?://").matcher(outsideCode(markdown)).find(), markdown);
    assertFalse(outsideCode(markdown).contains("<img"), markdown);
    assertFalse(outsideCode(markdown).contains("https://evil.example"), markdown);

    JsonNode report = new ObjectMapper().readTree(Files.readString(json));
    assertEquals(2, report.path("targets").size(), report::toString);
    String detail = report.path("targets").get(0).path("detail").asText();
    assertTrue(detail.contains("pwned"), report::toString);
    assertTrue(
        detail.codePoints().noneMatch(point -> point >= 0xD800 && point <= 0xDFFF),
        "a lone surrogate in the report: " + detail);
    try (var leftovers = Files.list(folder)) {
      assertTrue(leftovers.noneMatch(path -> path.toString().endsWith(".part")));
    }

    assertFalse(everything.contains(BASIC), "the base64 user:password was printed");
    assertFalse(
        everything.contains(BASIC.replace("=", "")),
        "the unpadded base64 user:password was printed");
    assertFalse(
        everything.contains(JSON_ESCAPED_PASSWORD), "the JSON-escaped password was printed");
    assertFalse(everything.contains(PASSWORD), "the password was printed");
  }

  private static Target target(HostileRegistry registry, String name) {
    return Target.to(registry.host() + "/acme/app:1.0")
        .named(name)
        .allowPlainHttp()
        .credentials(CredentialSource.of(USER, PASSWORD));
  }

  /** The lines as the runner reads them, which may end in more ways than Java's lines(). */
  private static List<String> runnerLines(String text) {
    return List.of(RUNNER_LINE_BREAK.split(text));
  }

  private static int firstIndexOf(List<String> lines, String text) {
    for (int index = 0; index < lines.size(); index++) {
      if (lines.get(index).contains(text)) {
        return index;
      }
    }
    return Integer.MAX_VALUE;
  }

  private static int lastIndexOf(List<String> lines, String prefix) {
    int last = -1;
    for (int index = 0; index < lines.size(); index++) {
      if (lines.get(index).startsWith(prefix)) {
        last = index;
      }
    }
    return last;
  }

  /** Markdown with its code spans taken out: what GitHub would render as links, images or HTML. */
  private static String outsideCode(String markdown) {
    return Pattern.compile("(`+)(?:(?!\\1).)*?\\1").matcher(markdown).replaceAll("");
  }

  /** Standard output and error of the code a test runs, as the runner would read them. */
  private record Captured(String stdout, String stderr) {

    interface Body {
      void run(PrintStream out) throws Exception;
    }

    static Captured run(Body body) throws Exception {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream originalOut = System.out;
      PrintStream originalErr = System.err;
      PrintStream capturedOut = new PrintStream(out, true, StandardCharsets.UTF_8);
      System.setOut(capturedOut);
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      try {
        body.run(capturedOut);
      } finally {
        System.setOut(originalOut);
        System.setErr(originalErr);
      }
      return new Captured(
          out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }
}
