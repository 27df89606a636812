package dev.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Jib;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Pushes that run side by side share one image, one transport and its token and blob records; each
 * must still go to its own registry. The registries are loopback addresses where nothing listens
 * (TCP port 1 on 127.0.0.2, 127.0.0.3, ..., distinct and never taken by another test's server), so
 * each failure names the address the push really went to. (Jib as the transport once sent about
 * one run in five elsewhere; thirty runs would catch such a race almost surely.)
 */
@DisplayName("Concurrent pushes")
class ConcurrentPushesTest {

  private static final int TARGETS = 8;

  private static final int RUNS = 30;

  @RepeatedTest(RUNS)
  @DisplayName("each go to their own registry")
  void eachToItsOwnRegistry() throws Exception {
    List<String> hosts = new ArrayList<>();
    PipelineBuilder pipeline =
        Pipeline.prepare(Environment.of(Map.of()))
            .image(Jib.fromScratch())
            .retryPolicy(RetryPolicy.noRetries())
            .maxConcurrentPushes(TARGETS)
            .maxConcurrentPushesPerHost(TARGETS);
    for (int index = 0; index < TARGETS; index++) {
      String host = "127.0.0." + (index + 2) + ":1";
      hosts.add(host);
      pipeline.push(Target.to(host + "/acme/app").allowPlainHttp());
    }
    PushReport report = pipeline.run();

    for (int index = 0; index < TARGETS; index++) {
      TargetResult result = report.results().get(index);
      assertEquals(TargetStatus.FAILED, result.status(), report::toString);
      assertTrue(result.detail().contains(" " + hosts.get(index) + "/acme/app;"), report::toString);
    }
  }
}
