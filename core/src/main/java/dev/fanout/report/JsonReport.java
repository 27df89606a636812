package dev.fanout.report;

import dev.fanout.PushReport;
import dev.fanout.RunListener;
import dev.fanout.TargetResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The report as JSON, for tools that read a run's outcome: written to a file when the run finishes,
 * or rendered with {@link #render(PushReport)}. The README's "JSON report" section is its schema;
 * {@link #SCHEMA_VERSION} changes when a field changes meaning or goes away, not when one is added.
 *
 * <pre>{@code
 * Pipeline.prepare()...listener(JsonReport.to(Path.of("target/fanout-report.json"))).run();
 * }</pre>
 */
public final class JsonReport implements RunListener {

  /** The version of the report's layout, its {@code "version"} field. */
  public static final int SCHEMA_VERSION = 1;

  private final Path file;

  private JsonReport(Path file) {
    this.file = file;
  }

  /**
   * A listener that writes the report to {@code file} when the run finishes, replacing the file
   * whole (written beside it, then moved), so a reader never sees half a report.
   *
   * @param file where to write it; parent folders are created
   * @return the listener
   */
  public static JsonReport to(Path file) {
    return new JsonReport(Objects.requireNonNull(file, "file"));
  }

  @Override
  public void finished(PushReport report) {
    write(report, file);
  }

  /**
   * Writes a report to a file.
   *
   * @param report the report
   * @param file where to write it; parent folders are created
   * @throws UncheckedIOException when it cannot be written
   */
  public static void write(PushReport report, Path file) {
    try {
      Path target = file.toAbsolutePath();
      Files.createDirectories(target.getParent());
      String json = render(report);
      Path partial =
          Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
      try {
        Files.writeString(partial, json, StandardCharsets.UTF_8);
        moveInPlace(partial, target);
      } finally {
        Files.deleteIfExists(partial);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the JSON report to " + file, e);
    }
  }

  private static void moveInPlace(Path partial, Path target) throws IOException {
    try {
      Files.move(
          partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * The report as JSON text.
   *
   * @param report the report
   * @return the JSON, indented with two spaces, ending with a new line; valid whatever the report's
   *     texts hold
   */
  public static String render(PushReport report) {
    List<String> targets = new ArrayList<>();
    for (TargetResult result : report.results()) {
      targets.add(target(result));
    }
    return "{\n"
        + "  \"version\": "
        + SCHEMA_VERSION
        + ",\n"
        + "  \"succeeded\": "
        + !report.hasRequiredFailures()
        + ",\n"
        + "  \"digest\": "
        + Json.string(report.digest().orElse(null))
        + ",\n"
        + "  \"buildFailure\": "
        + Json.string(report.buildFailure().orElse(null))
        + ",\n"
        + "  \"tarball\": "
        + Json.string(report.tarball().map(path -> path.toAbsolutePath().toString()).orElse(null))
        + ",\n"
        + "  \"durationMillis\": "
        + report.duration().toMillis()
        + ",\n"
        + "  \"targets\": ["
        + (targets.isEmpty() ? "" : "\n" + String.join(",\n", targets) + "\n  ")
        + "]\n"
        + "}\n";
  }

  private static String target(TargetResult result) {
    return "    {\n"
        + "      \"name\": "
        + Json.string(result.name())
        + ",\n"
        + "      \"reference\": "
        + Json.string(result.reference())
        + ",\n"
        + "      \"backend\": "
        + Json.string(result.backend())
        + ",\n"
        + "      \"status\": "
        + Json.string(result.status().name())
        + ",\n"
        + "      \"optional\": "
        + result.optional()
        + ",\n"
        + "      \"tags\": "
        + Json.strings(result.tags())
        + ",\n"
        + "      \"images\": "
        + Json.strings(result.images())
        + ",\n"
        + "      \"digest\": "
        + Json.string(result.digest().orElse(null))
        + ",\n"
        + "      \"attempts\": "
        + result.attempts()
        + ",\n"
        + "      \"durationMillis\": "
        + result.duration().toMillis()
        + ",\n"
        + "      \"waitedMillis\": "
        + result.waited().toMillis()
        + ",\n"
        + "      \"detail\": "
        + Json.string(result.detail())
        + "\n"
        + "    }";
  }
}
