package dev.fanout.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.PipelineBuilder;
import dev.fanout.Progress;
import dev.fanout.PushReport;
import dev.fanout.RetryPolicy;
import dev.fanout.RunListener;
import dev.fanout.Target;
import dev.fanout.testkit.LocalRegistryExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readying does not wait for push slots: the build's first progress event (sent from the building
 * thread, whether Jib or Fanout's own layer build makes the image) holds the build until every
 * target has said it is readied, so a run that readied some targets only when a push slot freed
 * could not finish its build with all of them readied (the hold gives up after a bound, and the
 * test then fails on what it saw, not on how long it took).
 */
@DisplayName("Readying while the image builds")
class ReadyingDuringBuildTest {

  @RegisterExtension static final LocalRegistryExtension FIRST = LocalRegistryExtension.plain();

  @RegisterExtension static final LocalRegistryExtension SECOND = LocalRegistryExtension.plain();

  /** Six targets, more than the default push limit, on two hosts. */
  private static final int TARGETS = 6;

  @TempDir Path folder;

  @Test
  @DisplayName(
      "readies all six targets (more than the push limit of 4) before the build ends, then pushes"
          + " all six")
  void allReadiedBeforeTheBuildEnds() throws Exception {
    CountDownLatch readied = new CountDownLatch(TARGETS);
    AtomicBoolean allReadiedWhileBuilding = new AtomicBoolean();
    AtomicBoolean held = new AtomicBoolean();
    PipelineBuilder pipeline =
        Pipeline.prepare(Environment.of(Map.of()))
            .image(ThreeLayerImages.image(ThreeLayerImages.writeSmall(folder, "readying")))
            .tags("1.0.0")
            .retryPolicy(RetryPolicy.ofDefaults())
            .listener(
                new RunListener() {
                  @Override
                  public void targetLog(String target, String line) {
                    if (line.startsWith("readied:")) {
                      readied.countDown();
                    }
                  }

                  @Override
                  public void progress(Progress progress) {
                    if (progress.isBuild() && held.compareAndSet(false, true)) {
                      allReadiedWhileBuilding.set(awaitQuietly(readied));
                    }
                  }
                });
    List<LocalRegistryExtension> hostOfTarget = new ArrayList<>();
    for (int target = 0; target < TARGETS; target++) {
      LocalRegistryExtension registry = target % 2 == 0 ? FIRST : SECOND;
      hostOfTarget.add(registry);
      pipeline.push(Target.to(registry.host() + "/readying/app-" + target).allowPlainHttp());
    }
    assertTrue(TARGETS > PipelineBuilder.DEFAULT_MAX_CONCURRENT_PUSHES);

    PushReport report = pipeline.run();

    assertTrue(held.get(), "the build sent no progress event to hold it with");
    assertTrue(
        allReadiedWhileBuilding.get(),
        "the build was held until it gave up, with "
            + readied.getCount()
            + " of "
            + TARGETS
            + " targets not readied");
    assertEquals(TARGETS, report.results().size(), report::toString);
    for (int target = 0; target < TARGETS; target++) {
      ReadBack.assertServed(
          report,
          report.results().get(target),
          hostOfTarget.get(target),
          "readying/app-" + target,
          "1.0.0");
    }
  }

  /** Waits for every target to be readied; false when that did not happen within a minute. */
  private static boolean awaitQuietly(CountDownLatch readied) {
    try {
      return readied.await(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
