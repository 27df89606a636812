package dev.fanout.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.PushReport;
import dev.fanout.RetryPolicy;
import dev.fanout.Target;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.testkit.FaultInjectingProxy;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.ProxyEvent;
import dev.fanout.testkit.RegistryChecker;
import dev.fanout.testkit.ScriptedResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a registry's {@code Retry-After} bends the retries: a floor under the policy's backoff, never
 * a cap on it, a hold on every request to the host, and never a reason to wait past a target's
 * deadline. Pushes an image of three small layers: what is measured here is the waits between
 * requests, not the transfer.
 */
@DisplayName("Retry-After from a real registry's front, with the default backoff")
class RetryAfterFromRegistryTest {

  @RegisterExtension static final LocalRegistryExtension FIRST = LocalRegistryExtension.plain();

  @RegisterExtension static final LocalRegistryExtension SECOND = LocalRegistryExtension.plain();

  private static final String TAG = "1.0.0";

  @TempDir Path folder;

  @Test
  @DisplayName(
      "three 503s with Retry-After: 1 on the manifest upload: the waits are at least 1 s and grow"
          + " as the default backoff does (1 s, 2 s, 4 s less jitter), not 1 s each; pushed after 4"
          + " tries")
  void retryAfterIsAFloor() throws Exception {
    RetryPolicy policy = RetryPolicy.ofDefaults();
    Duration retryAfter = Duration.ofSeconds(1);
    int failures = 3;
    try (FaultInjectingProxy front =
        FaultInjectingProxy.inFrontOf(FIRST.host())
            .failManifestUploads(failures, 503, retryAfter)
            .start()) {
      PushReport report =
          Pipeline.prepare(Environment.of(Map.of()))
              .image(ThreeLayerImages.image(ThreeLayerImages.writeSmall(folder, "floor")))
              .tags(TAG)
              .retryPolicy(policy)
              .push(Target.to(front.host() + "/floor/app").allowPlainHttp())
              .run();

      TargetResult result = report.results().get(0);
      ReadBack.assertServed(report, result, FIRST, "floor/app", TAG);
      assertEquals(failures + 1, result.attempts(), report::toString);
      List<ProxyEvent> manifestUploads =
          front.events().stream().filter(ProxyEvent::isManifestUpload).toList();
      assertEquals(failures + 1, manifestUploads.size(), front.events()::toString);
      for (int tried = 1; tried <= failures; tried++) {
        // The client cannot have had the answer before the proxy had it ("ended"), so the time
        // from there to the next try's arrival is at most the client's wait: a safe lower bound.
        Duration waited =
            Duration.between(
                manifestUploads.get(tried - 1).ended(), manifestUploads.get(tried).at());
        Duration backoffLessJitter =
            Duration.ofMillis(
                (long) (policy.backoffAfter(tried).toMillis() * (1 - policy.jitter())));
        Duration floor =
            backoffLessJitter.compareTo(retryAfter) > 0 ? backoffLessJitter : retryAfter;
        assertTrue(
            waited.compareTo(floor) >= 0,
            "wait after try " + tried + " was " + waited + ", at least " + floor + " expected");
      }
    }
  }

  @Test
  @DisplayName(
      "Retry-After: 999999999 on every answer of one host with two targets on it, one after the"
          + " other, and a 5 s deadline: both fail within about their deadline, the run reports,"
          + " and a target on another registry is pushed")
  void retryAfterBeyondEveryDeadline() throws Exception {
    Duration deadline = Duration.ofSeconds(5);
    RetryPolicy policy = RetryPolicy.custom().deadline(deadline).build();
    Path files = Files.createDirectories(folder.resolve("files"));
    try (FaultInjectingProxy front =
        FaultInjectingProxy.inFrontOf(FIRST.host())
            .failEveryRequest(429, Duration.ofSeconds(999_999_999))
            .start()) {
      PushReport report =
          assertTimeoutPreemptively(
              Duration.ofSeconds(90),
              () ->
                  Pipeline.prepare(Environment.of(Map.of()))
                      .image(ThreeLayerImages.image(ThreeLayerImages.writeSmall(files, "late")))
                      .tags(TAG)
                      .retryPolicy(policy)
                      // One push at a time on the host, so the second target always starts after
                      // the first was told to wait 999999999 s: it meets the host's hold.
                      .maxConcurrentPushesPerHost(1)
                      .push(Target.to(front.host() + "/late/one").allowPlainHttp())
                      .push(Target.to(front.host() + "/late/two").allowPlainHttp())
                      .push(Target.to(SECOND.reference("late/three")).allowPlainHttp())
                      .run(),
              "the run did not report: a target waited on Retry-After past its deadline");

      for (TargetResult held : report.results().subList(0, 2)) {
        assertEquals(TargetStatus.FAILED, held.status(), report::toString);
        assertTrue(
            held.duration().compareTo(deadline.plusSeconds(5)) <= 0,
            () ->
                held.reference() + " took " + held.duration() + " with a deadline of " + deadline);
        assertTrue(
            held.detail().toLowerCase().contains("deadline"), () -> "no word of it: " + held);
      }
      ReadBack.assertServed(report, report.results().get(2), SECOND, "late/three", TAG);
      assertEquals(
          0,
          front.requestCount(event -> event.action() == ProxyEvent.Action.FORWARDED),
          "the front forwarded a request");
      assertEquals(
          Optional.empty(),
          RegistryChecker.manifestDigest(FIRST.host(), "late/one", TAG, Optional.empty()));
    }
  }

  @ParameterizedTest(name = "{0} with Retry-After: 3")
  @ValueSource(ints = {429, 503})
  @DisplayName(
      "a Retry-After answer to the first request of a run holds every request to that host, both"
          + " targets' alike, until it has passed; both pushed")
  void retryAfterHoldsTheHost(int status) throws Exception {
    Duration retryAfter = Duration.ofSeconds(3);
    // A request already on its way when the answer came may still arrive just after it.
    Duration onTheirWay = Duration.ofMillis(500);
    Path files = Files.createDirectories(folder.resolve("files"));
    try (FaultInjectingProxy front =
        FaultInjectingProxy.inFrontOf(FIRST.host())
            .answer(
                1,
                request -> true,
                ScriptedResponse.json(
                        status,
                        "{\"errors\":[{\"code\":\""
                            + (status == 429 ? "TOOMANYREQUESTS" : "UNAVAILABLE")
                            + "\",\"message\":\"come back later\"}]}")
                    .withHeader("Retry-After", Long.toString(retryAfter.toSeconds())))
            .start()) {
      PushReport report =
          Pipeline.prepare(Environment.of(Map.of()))
              .image(ThreeLayerImages.image(ThreeLayerImages.writeSmall(files, "held")))
              .tags(TAG)
              .retryPolicy(RetryPolicy.ofDefaults())
              .push(Target.to(front.host() + "/held/one").allowPlainHttp())
              .push(Target.to(front.host() + "/held/two").allowPlainHttp())
              .run();

      ReadBack.assertServed(report, report.results().get(0), FIRST, "held/one", TAG);
      ReadBack.assertServed(report, report.results().get(1), FIRST, "held/two", TAG);
      Instant answered = front.faults().get(0).ended();
      Instant released = answered.plus(retryAfter);
      List<ProxyEvent> tooEarly =
          front.events().stream()
              .filter(event -> event.at().isAfter(answered.plus(onTheirWay)))
              .filter(event -> event.at().isBefore(released))
              .toList();
      assertEquals(List.of(), tooEarly, "requests inside the host's hold");
      for (String repository : List.of("held/one", "held/two")) {
        assertTrue(
            front.events().stream()
                .anyMatch(
                    event ->
                        event.repository().equals(Optional.of(repository))
                            && !event.at().isBefore(released)),
            () -> "no request of " + repository + " after the hold: " + front.events());
      }
    }
  }
}
