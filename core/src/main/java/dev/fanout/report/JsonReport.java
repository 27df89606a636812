package dev.fanout.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.fanout.HostHold;
import dev.fanout.PushReport;
import dev.fanout.RequestRetry;
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
 * or rendered with {@link #render(PushReport)}. docs/ci-reporting.md is its schema; {@link
 * #SCHEMA_VERSION} changes when a field changes meaning or goes away, not when one is added.
 *
 * <p>As a listener it also records the run's retries (each target's {@code retries}) and host holds
 * ({@code hostHolds}), which {@link #render(PushReport)} alone, given only the report, leaves
 * empty.
 *
 * <pre>{@code
 * Pipeline.prepare()...listener(JsonReport.to(Path.of("target/fanout-report.json"))).run();
 * }</pre>
 */
public final class JsonReport implements RunListener {

  /** The version of the report's layout, its {@code "version"} field. */
  public static final int SCHEMA_VERSION = 1;

  private final Path file;
  private final List<RequestRetry> retries = new ArrayList<>();
  private final List<HostHold> holds = new ArrayList<>();

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
  public synchronized void requestRetried(RequestRetry retry) {
    retries.add(retry);
  }

  @Override
  public synchronized void hostHeld(HostHold hold) {
    holds.add(hold);
  }

  @Override
  public synchronized void finished(PushReport report) {
    write(render(report, retries, holds), file);
  }

  /**
   * Writes a report to a file.
   *
   * @param report the report
   * @param file where to write it; parent folders are created
   * @throws UncheckedIOException when it cannot be written
   */
  public static void write(PushReport report, Path file) {
    write(render(report), file);
  }

  private static void write(String json, Path file) {
    try {
      Path target = file.toAbsolutePath();
      Files.createDirectories(target.getParent());
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
    return render(report, List.of(), List.of());
  }

  /** The report as JSON text, with the retries and holds a listener heard during the run. */
  static String render(PushReport report, List<RequestRetry> retries, List<HostHold> holds) {
    return Json.document(
        json -> {
          json.writeStartObject();
          json.writeNumberField("version", SCHEMA_VERSION);
          json.writeBooleanField("succeeded", !report.hasRequiredFailures());
          Json.text(json, "digest", report.digest().orElse(null));
          Json.text(json, "buildFailure", report.buildFailure().orElse(null));
          Json.text(
              json,
              "tarball",
              report.tarball().map(path -> path.toAbsolutePath().toString()).orElse(null));
          json.writeNumberField("durationMillis", report.duration().toMillis());
          json.writeArrayFieldStart("targets");
          for (TargetResult result : report.results()) {
            target(
                json,
                result,
                retries.stream().filter(retry -> retry.target().equals(result.name())).toList());
          }
          json.writeEndArray();
          json.writeArrayFieldStart("hostHolds");
          for (HostHold hold : holds) {
            json.writeStartObject();
            Json.text(json, "host", hold.host());
            Json.text(json, "target", hold.target());
            json.writeNumberField("waitMillis", hold.delay().toMillis());
            Json.text(json, "reason", hold.reason());
            json.writeEndObject();
          }
          json.writeEndArray();
          json.writeEndObject();
        });
  }

  private static void target(JsonGenerator json, TargetResult result, List<RequestRetry> retries)
      throws IOException {
    json.writeStartObject();
    Json.text(json, "name", result.name());
    Json.text(json, "reference", result.reference());
    Json.text(json, "backend", result.backend());
    Json.text(json, "status", result.status().name());
    json.writeBooleanField("optional", result.optional());
    Json.texts(json, "tags", result.tags());
    Json.texts(json, "images", result.images());
    Json.text(json, "digest", result.digest().orElse(null));
    json.writeNumberField("attempts", result.attempts());
    json.writeNumberField("durationMillis", result.duration().toMillis());
    json.writeNumberField("waitedMillis", result.waited().toMillis());
    Json.text(json, "detail", result.detail());
    json.writeArrayFieldStart("retries");
    for (RequestRetry retry : retries) {
      json.writeStartObject();
      Json.text(json, "request", retry.request());
      Json.text(json, "reason", retry.reason());
      json.writeNumberField("waitMillis", retry.delay().toMillis());
      json.writeNumberField("attempt", retry.attempt());
      json.writeNumberField("maxAttempts", retry.maxAttempts());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }
}
