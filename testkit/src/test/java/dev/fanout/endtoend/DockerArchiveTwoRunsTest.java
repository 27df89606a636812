package dev.fanout.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.ImageSource;
import dev.fanout.Pipeline;
import dev.fanout.PushReport;
import dev.fanout.Target;
import dev.fanout.TargetStatus;
import dev.fanout.testkit.DockerArchives;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.RegistryChecker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code docker save} archive has uncompressed layers, which Fanout compresses before pushing;
 * the compression must be deterministic, or every run and every target would hold another digest.
 */
@DisplayName("A docker save archive pushed in two runs")
class DockerArchiveTwoRunsTest {

  private static final Environment NO_VARIABLES = Environment.of(Map.of());

  @RegisterExtension static final LocalRegistryExtension PLAIN = LocalRegistryExtension.plain();

  @RegisterExtension
  static final LocalRegistryExtension HTPASSWD =
      LocalRegistryExtension.withBasicAuth("robot", "docker-Archive-pass");

  @TempDir Path folder;

  @Test
  @DisplayName("has one digest on both registries in both runs, its config unchanged")
  void sameDigestEveryRunOnEveryRegistry() throws Exception {
    DockerArchives.Archive archive =
        DockerArchives.dockerSave(folder.resolve("app.tar"), "demo/app:1");

    PushReport first = push(archive, "demo/first");
    PushReport second = push(archive, "demo/second");

    String digest = first.digest().orElseThrow(() -> new AssertionError(first.toString()));
    assertEquals(Optional.of(digest), second.digest(), second::toString);
    for (LocalRegistryExtension registry : List.of(PLAIN, HTPASSWD)) {
      for (String repository : List.of("demo/first", "demo/second")) {
        assertEquals(
            Optional.of(digest),
            RegistryChecker.manifestDigest(
                registry.host(), repository, "1.0", registry.credentials()),
            registry.host() + "/" + repository);
        List<String> blobs = ReadBack.assertEveryBlobServed(registry, repository, "1.0");
        assertTrue(blobs.contains(archive.configDigest()), blobs::toString);
        assertEquals(1 + archive.diffIds().size(), blobs.size(), blobs::toString);
      }
    }
  }

  /** One run to a fresh repository on each registry, so every layer is uploaded again. */
  private static PushReport push(DockerArchives.Archive archive, String repository) {
    PushReport report =
        Pipeline.prepare(NO_VARIABLES)
            .image(ImageSource.dockerArchive(archive.path()))
            .tags("1.0")
            .push(Target.to(PLAIN.reference(repository)).allowPlainHttp())
            .push(
                Target.to(HTPASSWD.reference(repository))
                    .allowPlainHttp()
                    .credentials(CredentialSource.of(HTPASSWD.username(), HTPASSWD.password())))
            .run();
    assertEquals(2, report.withStatus(TargetStatus.PUSHED).size(), report::toString);
    return report;
  }
}
