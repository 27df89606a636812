package dev.fanout.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.Progress;
import dev.fanout.PushReport;
import dev.fanout.RunListener;
import dev.fanout.Target;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.testkit.LocalRegistryExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploading overlaps building: a layer goes to the registries as soon as it is compressed, while
 * the next one compresses. The build's progress event after its first layer (sent from the
 * building thread) holds the build until the registry's access log shows a finished blob upload;
 * without the overlap no upload can come while the build is held, the hold gives up after a bound,
 * and the test fails on what it saw.
 */
@DisplayName("Uploads while the image builds")
class UploadDuringBuildTest {

  @RegisterExtension static final LocalRegistryExtension REGISTRY = LocalRegistryExtension.plain();

  /** How long the held build waits for the upload before it gives up. */
  private static final long HOLD_SECONDS = 60;

  @TempDir Path folder;

  @Test
  @DisplayName("uploads the first layer while the build is held before its second, then the image")
  void firstLayerUploadedWhileBuilding() throws Exception {
    AtomicBoolean held = new AtomicBoolean();
    AtomicBoolean uploadedWhileHeld = new AtomicBoolean();
    List<Path> files = ThreeLayerImages.writeSmall(folder, "upload-during-build");

    PushReport report =
        Pipeline.prepare(Environment.of(Map.of()))
            .image(ThreeLayerImages.image(files))
            .tags("1.0.0")
            .listener(
                onFirstBuiltLayer(held, () -> uploadedWhileHeld.set(awaitFinishedUpload("during/app"))))
            .push(Target.to(REGISTRY.host() + "/during/app").allowPlainHttp())
            .run();

    assertTrue(held.get(), "the build sent no progress event after its first layer");
    assertTrue(
        uploadedWhileHeld.get(),
        "no blob upload finished in " + HOLD_SECONDS + " s while the build was held");
    ReadBack.assertServed(report, report.results().get(0), REGISTRY, "during/app", "1.0.0");
  }

  @Test
  @DisplayName(
      "a build that fails after a layer went up leaves the target failed with the build's failure,"
          + " and pushes no manifest")
  void buildFailsAfterAnEarlyUpload() throws Exception {
    AtomicBoolean held = new AtomicBoolean();
    AtomicBoolean uploadedWhileHeld = new AtomicBoolean();
    List<Path> files = ThreeLayerImages.writeSmall(folder, "upload-then-fail");
    // The last layer's file is gone when the build reads it. Layers compress at most two at once,
    // so it starts only after another layer finished, and that one is handed over first.
    var image = ThreeLayerImages.image(files);
    Files.delete(files.get(2));

    PushReport report =
        Pipeline.prepare(Environment.of(Map.of()))
            .image(image)
            .tags("1.0.0")
            .listener(
                onFirstBuiltLayer(held, () -> uploadedWhileHeld.set(awaitFinishedUpload("failing/app"))))
            .push(Target.to(REGISTRY.host() + "/failing/app").allowPlainHttp())
            .run();

    assertTrue(held.get(), "the build sent no progress event after its first layer");
    assertTrue(uploadedWhileHeld.get(), "no layer went up before the build failed");
    assertTrue(report.buildFailure().isPresent(), report::toString);
    TargetResult result = report.results().get(0);
    assertEquals(TargetStatus.FAILED, result.status(), report::toString);
    assertTrue(
        result.detail().startsWith("not pushed: the image build failed"), result::detail);
    assertFalse(
        REGISTRY.log().contains("PUT /v2/failing/app/manifests/"),
        "a manifest was pushed for an image that was never built");
  }

  /** A listener that runs {@code action} on the building thread once the first layer is built. */
  private static RunListener onFirstBuiltLayer(AtomicBoolean held, Runnable action) {
    return new RunListener() {
      @Override
      public void progress(Progress progress) {
        if (progress.isBuild() && progress.blobsDone() == 1 && held.compareAndSet(false, true)) {
          action.run();
        }
      }
    };
  }

  /**
   * Waits until the registry's access log shows a finished blob upload into a repository (the
   * closing PUT of an upload session, answered 201); false after the bound.
   */
  private static boolean awaitFinishedUpload(String repository) {
    Pattern finished =
        Pattern.compile(
            "\"PUT /v2/" + Pattern.quote(repository) + "/blobs/uploads/[^ ]* HTTP/1\\.[01]\" 201");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HOLD_SECONDS);
    while (System.nanoTime() < deadline) {
      if (finished.matcher(REGISTRY.log()).find()) {
        return true;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

}
