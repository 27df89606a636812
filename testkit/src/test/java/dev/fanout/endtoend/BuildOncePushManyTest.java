package dev.fanout.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.LogEvent;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.PushReport;
import dev.fanout.RetryPolicy;
import dev.fanout.Target;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.testkit.FaultInjectingProxy;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.RegistryChecker;
import dev.fanout.testkit.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("One build pushed to many real registries")
class BuildOncePushManyTest {

  @RegisterExtension static final LocalRegistryExtension FIRST = LocalRegistryExtension.plain();

  @RegisterExtension static final LocalRegistryExtension SECOND = LocalRegistryExtension.plain();

  @RegisterExtension
  static final LocalRegistryExtension WITH_AUTH =
      LocalRegistryExtension.withBasicAuth("robot", "end-to-end-password");

  private static final Environment NO_VARIABLES = Environment.of(Map.of());

  @TempDir Path folder;

  @Test
  @DisplayName(
      "pushes one image to three registries, one with auth, and each holds the same digest")
  void threeRegistriesOneDigest() throws Exception {
    PushReport report =
        Pipeline.prepare(NO_VARIABLES)
            .image(TestImages.smallApp(folder, "three registries"))
            .tags("1.0.0", "latest")
            .push(Target.to(FIRST.reference("demo/app")).allowPlainHttp())
            .push(Target.to(SECOND.reference("demo/app")).allowPlainHttp())
            .push(
                Target.to(WITH_AUTH.reference("demo/app"))
                    .allowPlainHttp()
                    .credentials(CredentialSource.of(WITH_AUTH.username(), WITH_AUTH.password())))
            .run();

    assertEquals(3, report.withStatus(TargetStatus.PUSHED).size(), report::toString);
    String digest = report.digest().orElseThrow();
    for (LocalRegistryExtension registry : List.of(FIRST, SECOND, WITH_AUTH)) {
      for (String tag : List.of("1.0.0", "latest")) {
        assertEquals(
            Optional.of(digest),
            RegistryChecker.manifestDigest(
                registry.host(), "demo/app", tag, registry.credentials()),
            registry.host() + " " + tag);
      }
    }
    assertEquals(
        digest,
        RegistryChecker.skopeoDigest(
            WITH_AUTH.reference("demo/app:1.0.0"), WITH_AUTH.credentials()));
  }

  @Test
  @DisplayName(
      "an image from scratch for three targets: its one layer is compressed once, by the build")
  void buildsLayersIntoTheCacheOnce() throws Exception {
    int builtByJib =
        layersBuilt(
            "scratch",
            null,
            FIRST.reference("once/scratch"),
            SECOND.reference("once/scratch"),
            WITH_AUTH.reference("once/scratch"));
    assertEquals(0, builtByJib, "Fanout compresses a scratch image's file layers itself, not Jib");
    Path cache = folder.resolve("scratch-cache/application/fanout-parallel-gzip");
    try (Stream<Path> layers = Files.list(cache.resolve("blobs"))) {
      assertEquals(1, layers.count(), "the cache should hold the image's one layer");
    }
    try (Stream<Path> entries = Files.list(cache)) {
      assertEquals(
          1,
          entries.filter(Files::isRegularFile).count(),
          "the cache should have recorded one compression");
    }
  }

  @Test
  @DisplayName(
      "with a tarball to write, builds exactly as many layers for three targets as for one")
  void buildsLayersOnceWithTarball() throws Exception {
    int forOne = layersBuilt("one", folder.resolve("one.tar"), FIRST.reference("once/one"));
    int forThree =
        layersBuilt(
            "three",
            folder.resolve("three.tar"),
            FIRST.reference("once/three"),
            SECOND.reference("once/three"),
            WITH_AUTH.reference("once/three"));
    assertTrue(forOne > 0, "the one-target run built no layer");
    assertEquals(forOne, forThree);
  }

  @Test
  @DisplayName("one registry down and two up: two pushed, one failed with a clear message")
  void oneRegistryDown() throws Exception {
    String down = FaultInjectingProxy.unreachableHost() + "/demo/app";
    PushReport report =
        Pipeline.prepare(NO_VARIABLES)
            .image(TestImages.smallApp(folder, "one down"))
            .tags("2.0.0")
            .retryPolicy(RetryPolicy.noRetries())
            .push(Target.to(FIRST.reference("down/app")).allowPlainHttp())
            .push(Target.to(down).allowPlainHttp())
            .push(Target.to(SECOND.reference("down/app")).allowPlainHttp())
            .run();

    List<TargetResult> results = report.results();
    assertEquals(TargetStatus.PUSHED, results.get(0).status(), report::toString);
    assertEquals(TargetStatus.FAILED, results.get(1).status(), report::toString);
    assertEquals(TargetStatus.PUSHED, results.get(2).status(), report::toString);
    assertTrue(
        results.get(1).detail().contains("cannot connect to the registry"), results.get(1)::detail);
    assertTrue(report.hasFailures());
    ReadBack.assertServed(report, results.get(0), FIRST, "down/app", "2.0.0");
    ReadBack.assertServed(report, results.get(2), SECOND, "down/app", "2.0.0");
    ReadBack.assertEveryBlobServed(FIRST, "down/app", "2.0.0");
    ReadBack.assertEveryBlobServed(SECOND, "down/app", "2.0.0");
  }

  @Test
  @DisplayName(
      "writes the tarball even when no target is enabled: skopeo reads from it the image that a"
          + " push of the same build lands")
  void tarballWithoutTargets() throws Exception {
    Path tarball = folder.resolve("out/app.tar");
    Path files = Files.createDirectories(folder.resolve("files"));
    PushReport report =
        Pipeline.prepare(NO_VARIABLES)
            .image(TestImages.smallApp(files, "tarball only"))
            .tarball(tarball, "acme/app:1.0.0")
            .when(dev.fanout.Conditions.credentialPresent("NOT_SET"))
            .push(FIRST.reference("never/app"))
            .run();
    assertEquals(Optional.of(tarball), report.tarball());
    assertEquals(TargetStatus.SKIPPED, report.results().get(0).status());
    assertEquals(List.of(), RegistryChecker.tags(FIRST.host(), "never/app", Optional.empty()));

    PushReport pushed =
        Pipeline.prepare(NO_VARIABLES)
            .image(TestImages.smallApp(files, "tarball only"))
            .tags("1.0.0")
            .push(Target.to(FIRST.reference("tarball/app")).allowPlainHttp())
            .run();
    ReadBack.assertServed(pushed, pushed.results().get(0), FIRST, "tarball/app", "1.0.0");
    assertEquals(report.digest(), pushed.digest(), "the tarball's run reports another image");
    List<String> blobs = ReadBack.assertEveryBlobServed(FIRST, "tarball/app", "1.0.0");
    String config = RegistryChecker.skopeoArchiveConfigDigest(tarball, "acme/app:1.0.0");
    assertTrue(
        blobs.contains(config),
        () -> "the tarball's config " + config + " is not the pushed image's: " + blobs);
  }

  /** Runs a pipeline and counts the layers Jib compressed in the whole run. */
  private int layersBuilt(String name, Path tarball, String... references) throws IOException {
    Path files = Files.createDirectories(folder.resolve(name));
    AtomicInteger built = new AtomicInteger();
    var pipeline =
        Pipeline.prepare(NO_VARIABLES)
            .image(TestImages.smallApp(files, "layers " + name))
            .layerCache(folder.resolve(name + "-cache"))
            .addEventHandler(
                LogEvent.class,
                event -> {
                  if (event.getMessage().contains(" built sha256:")) {
                    built.incrementAndGet();
                  }
                });
    if (tarball != null) {
      pipeline.tarball(tarball, "acme/once:1");
    }
    for (String reference : references) {
      pipeline.push(
          Target.to(reference)
              .allowPlainHttp()
              .credentials(
                  reference.startsWith(WITH_AUTH.host())
                      ? CredentialSource.of(WITH_AUTH.username(), WITH_AUTH.password())
                      : CredentialSource.anonymous()));
    }
    PushReport report = pipeline.run();
    assertEquals(
        references.length, report.withStatus(TargetStatus.PUSHED).size(), report::toString);
    return built.get();
  }
}
