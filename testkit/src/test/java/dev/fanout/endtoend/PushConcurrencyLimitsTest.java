package dev.fanout.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.PipelineBuilder;
import dev.fanout.PushReport;
import dev.fanout.RetryPolicy;
import dev.fanout.Target;
import dev.fanout.testkit.FaultInjectingProxy;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.ProxyEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many pushes run at once, seen from the registries' side: each registry sits behind a proxy
 * that records when every request arrived and when its answer was known. A target's push spans from
 * the first to the last request into its repository, so overlapping spans are pushes that really
 * ran at once, whatever the report's per-target durations say.
 */
@DisplayName(
    "Pushes at once, at most 4 in all and 2 per host by default, and a manifest-upload rate")
class PushConcurrencyLimitsTest {

  @RegisterExtension static final LocalRegistryExtension FIRST = LocalRegistryExtension.plain();

  @RegisterExtension static final LocalRegistryExtension SECOND = LocalRegistryExtension.plain();

  @RegisterExtension static final LocalRegistryExtension THIRD = LocalRegistryExtension.plain();

  /**
   * Each forwarded request is held this long, so a push of the small image takes seconds rather
   * than milliseconds and pushes that run at once overlap by far more than the clock's jitter.
   */
  private static final Duration SLOW_REGISTRY = Duration.ofMillis(250);

  @TempDir Path folder;

  @Test
  @DisplayName(
      "seven targets on three slow hosts (3, 2 and 2 repositories): all pushed and served; at"
          + " most 2 pushes at once on any host and 4 in all, and both limits reached")
  void limitsHoldAndAreReached() throws Exception {
    List<FaultInjectingProxy> fronts = new ArrayList<>();
    try {
      for (LocalRegistryExtension registry : List.of(FIRST, SECOND, THIRD)) {
        fronts.add(
            FaultInjectingProxy.inFrontOf(registry.host()).delayRequests(SLOW_REGISTRY).start());
      }
      // Declared host after host, so that the first four to start are on three hosts and a pool
      // that takes targets in order can reach its limit before any host's limit holds it back.
      List<Integer> hostOfTarget = List.of(0, 1, 2, 0, 1, 2, 0);
      PipelineBuilder pipeline =
          Pipeline.prepare(Environment.of(Map.of()))
              .image(ThreeLayerImages.image(ThreeLayerImages.writeSmall(folder, "concurrent")))
              .tags("1.0.0")
              .retryPolicy(RetryPolicy.ofDefaults());
      List<String> repositories = new ArrayList<>();
      for (int target = 0; target < hostOfTarget.size(); target++) {
        String repository = "concurrent/app-" + target;
        repositories.add(repository);
        pipeline.push(
            Target.to(fronts.get(hostOfTarget.get(target)).host() + "/" + repository)
                .allowPlainHttp());
      }
      PushReport report = pipeline.run();

      List<LocalRegistryExtension> registries = List.of(FIRST, SECOND, THIRD);
      for (int target = 0; target < hostOfTarget.size(); target++) {
        ReadBack.assertServed(
            report,
            report.results().get(target),
            registries.get(hostOfTarget.get(target)),
            repositories.get(target),
            "1.0.0");
      }
      List<List<Span>> spansPerHost =
          fronts.stream().map(PushConcurrencyLimitsTest::pushSpans).toList();
      List<Integer> peaksPerHost =
          spansPerHost.stream().map(PushConcurrencyLimitsTest::peak).toList();
      int peakOverall = peak(spansPerHost.stream().flatMap(List::stream).toList());
      String spans = "push spans per host: " + spansPerHost;

      assertEquals(
          PipelineBuilder.DEFAULT_MAX_CONCURRENT_PUSHES_PER_HOST,
          peaksPerHost.get(0),
          "the host with three targets; " + spans);
      assertTrue(
          peaksPerHost.stream()
              .allMatch(peak -> peak <= PipelineBuilder.DEFAULT_MAX_CONCURRENT_PUSHES_PER_HOST),
          "peaks per host " + peaksPerHost + "; " + spans);
      assertEquals(PipelineBuilder.DEFAULT_MAX_CONCURRENT_PUSHES, peakOverall, spans);
    } finally {
      fronts.forEach(FaultInjectingProxy::close);
    }
  }

  @Test
  @DisplayName(
      "limitManifestUploads(host, 1): six manifest uploads (three targets, two tags) reach the"
          + " host over at least 4 s; all pushed and served")
  void manifestUploadLimit() throws Exception {
    try (FaultInjectingProxy front = FaultInjectingProxy.inFrontOf(FIRST.host()).start()) {
      List<String> repositories = List.of("rate/one", "rate/two", "rate/three");
      PipelineBuilder pipeline =
          Pipeline.prepare(Environment.of(Map.of()))
              .image(ThreeLayerImages.image(ThreeLayerImages.writeSmall(folder, "rate")))
              .tags("1.0.0", "latest")
              .retryPolicy(RetryPolicy.ofDefaults())
              .limitManifestUploads(front.host(), 1);
      repositories.forEach(
          repository -> pipeline.push(Target.to(front.host() + "/" + repository).allowPlainHttp()));
      PushReport report = pipeline.run();

      for (int target = 0; target < repositories.size(); target++) {
        for (String tag : List.of("1.0.0", "latest")) {
          ReadBack.assertServed(
              report, report.results().get(target), FIRST, repositories.get(target), tag);
        }
      }
      List<Instant> uploads =
          front.events().stream()
              .filter(ProxyEvent::isManifestUpload)
              .map(ProxyEvent::at)
              .sorted()
              .toList();
      assertEquals(6, uploads.size(), front.events()::toString);
      // One permit a second, handed out per one-second period: two uploads may fall either side
      // of a period's end, so n uploads span at least n - 2 seconds.
      Duration span = Duration.between(uploads.get(0), uploads.get(uploads.size() - 1));
      assertTrue(
          span.compareTo(Duration.ofSeconds(uploads.size() - 2)) >= 0,
          "manifest uploads at " + uploads);
    }
  }

  /** When the pushes into one repository began and ended, as the registry's front saw them. */
  private record Span(String repository, Instant start, Instant end) {

    @Override
    public String toString() {
      return repository + " " + start + ".." + end;
    }
  }

  /** One span per repository: from its first request's arrival to its last request's answer. */
  private static List<Span> pushSpans(FaultInjectingProxy front) {
    Map<String, Span> spans = new LinkedHashMap<>();
    for (ProxyEvent event : front.events()) {
      event
          .repository()
          .ifPresent(
              repository ->
                  spans.merge(
                      repository,
                      new Span(repository, event.at(), event.ended()),
                      (a, b) ->
                          new Span(
                              repository,
                              a.start().isBefore(b.start()) ? a.start() : b.start(),
                              a.end().isAfter(b.end()) ? a.end() : b.end())));
    }
    return List.copyOf(spans.values());
  }

  /**
   * The most spans open at one instant. A span that ends exactly when another starts does not
   * overlap it: ends are counted first.
   */
  private static int peak(List<Span> spans) {
    record Edge(Instant at, int change) {}
    List<Edge> edges = new ArrayList<>();
    for (Span span : spans) {
      edges.add(new Edge(span.start(), +1));
      edges.add(new Edge(span.end(), -1));
    }
    edges.sort(Comparator.comparing(Edge::at).thenComparingInt(Edge::change));
    int open = 0;
    int peak = 0;
    for (Edge edge : edges) {
      open += edge.change();
      peak = Math.max(peak, open);
    }
    return peak;
  }
}
