package dev.fanout.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Read back with Jackson, a parser that is not the writer. */
@DisplayName("The JSON report")
class JsonReportTest {

  @TempDir Path folder;

  @Test
  @DisplayName("holds the run and every target, as the README's schema describes")
  void schema() throws Exception {
    JsonNode json = new ObjectMapper().readTree(JsonReport.render(Reports.report()));

    assertEquals(1, json.get("version").asInt());
    assertTrue(json.get("succeeded").asBoolean(), "only an optional target failed");
    assertEquals(Reports.DIGEST, json.get("digest").asText());
    assertTrue(json.get("buildFailure").isNull());
    assertTrue(json.get("tarball").asText().endsWith("target/app.tar"));
    assertEquals(4200, json.get("durationMillis").asLong());
    JsonNode hub = json.get("targets").get(0);
    assertEquals("hub", hub.get("name").asText());
    assertEquals("hub.example.com/acme/app", hub.get("reference").asText());
    assertEquals("oci", hub.get("backend").asText());
    assertEquals("PUSHED", hub.get("status").asText());
    assertEquals(false, hub.get("optional").asBoolean());
    assertEquals(List.of("1.2.3", "latest"), texts(hub.get("tags")));
    assertEquals(
        List.of("hub.example.com/acme/app:1.2.3", "hub.example.com/acme/app:latest"),
        texts(hub.get("images")));
    assertEquals(Reports.DIGEST, hub.get("digest").asText());
    assertEquals(2, hub.get("attempts").asInt());
    assertEquals(3100, hub.get("durationMillis").asLong());
    assertEquals(1000, hub.get("waitedMillis").asLong());
    assertEquals("after HTTP 429 Too Many Requests", hub.get("detail").asText());
    JsonNode mirror = json.get("targets").get(2);
    assertTrue(mirror.get("digest").isNull());
    assertEquals(List.of(), texts(mirror.get("images")));
    assertEquals(
        "HTTP 503 Service | Unavailable\nretry later, 100%", mirror.get("detail").asText());
  }

  @Test
  @DisplayName("is written whole to its file, parent folders created, when the run finishes")
  void writtenWhenFinished() throws Exception {
    Path file = folder.resolve("reports/run.json");
    JsonReport.to(file).finished(Reports.report());
    assertEquals(JsonReport.render(Reports.report()), Files.readString(file));
    try (var left = Files.list(file.getParent())) {
      assertEquals(List.of(file), left.toList());
    }
  }

  @Test
  @DisplayName("is written and valid whatever a registry's text holds, a lone surrogate replaced")
  void survivesAnyText() throws Exception {
    Path file = folder.resolve("report.json");
    JsonReport.to(file).finished(Reports.hostileReport());

    JsonNode json = new ObjectMapper().readTree(Files.readString(file));
    String detail = json.get("targets").get(0).get("detail").asText();
    assertEquals(Reports.HOSTILE.replace('\ud800', '\ufffd'), detail);
    assertTrue(json.get("buildFailure").asText().endsWith("\ufffd"));
    try (var left = Files.list(folder)) {
      assertEquals(List.of(file), left.toList());
    }
  }

  @Test
  @DisplayName(
      "as a listener, lists each target's retries and the run's host holds; rendered from a report"
          + " alone, both are empty")
  void retriesAndHolds() throws Exception {
    Path file = folder.resolve("report.json");
    JsonReport listener = JsonReport.to(file);
    listener.hostHeld(Reports.hold());
    listener.requestRetried(Reports.retry());
    listener.finished(Reports.report());

    JsonNode json = new ObjectMapper().readTree(Files.readString(file));
    JsonNode retry = json.get("targets").get(0).get("retries").get(0);
    assertEquals("PUT manifest 1.2.3 on hub.example.com/acme/app", retry.get("request").asText());
    assertEquals("HTTP 429 Too Many Requests", retry.get("reason").asText());
    assertEquals(1000, retry.get("waitMillis").asLong());
    assertEquals(1, retry.get("attempt").asInt());
    assertEquals(5, retry.get("maxAttempts").asInt());
    assertEquals(1, json.get("targets").get(0).get("retries").size());
    assertEquals(0, json.get("targets").get(2).get("retries").size());
    JsonNode hold = json.get("hostHolds").get(0);
    assertEquals("hub.example.com", hold.get("host").asText());
    assertEquals("hub", hold.get("target").asText());
    assertEquals(1000, hold.get("waitMillis").asLong());
    assertEquals("HTTP 429 Too Many Requests", hold.get("reason").asText());

    JsonNode alone = new ObjectMapper().readTree(JsonReport.render(Reports.report()));
    assertEquals(0, alone.get("hostHolds").size());
    assertEquals(0, alone.get("targets").get(0).get("retries").size());
  }

  @Test
  @DisplayName(
      "escapes U+2028 and U+2029 as well as JSON's own, so the report is valid JavaScript too")
  void lineSeparatorsEscaped() {
    String json = JsonReport.render(Reports.lineSeparatedReport());
    assertTrue(json.contains("\"a\\u2028b\\u2029c\\n\\\"d\\\\\""), json);
    assertTrue(json.contains("\"targets\": [],\n"), json);
    assertTrue(json.endsWith("}\n"), json);
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
