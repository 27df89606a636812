package dev.fanout.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.PushReport;
import dev.fanout.Target;
import dev.fanout.TargetStatus;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.RegistryChecker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A multi-platform image built with Jib")
class MultiPlatformBuildTest {

  @RegisterExtension static final LocalRegistryExtension BASE = LocalRegistryExtension.plain();

  @RegisterExtension static final LocalRegistryExtension FIRST = LocalRegistryExtension.plain();

  @RegisterExtension static final LocalRegistryExtension SECOND = LocalRegistryExtension.plain();

  @RegisterExtension
  static final LocalRegistryExtension WITH_AUTH =
      LocalRegistryExtension.withBasicAuth("robot", "multi-platform-password");

  private static final Environment NO_VARIABLES = Environment.of(Map.of());

  private static final Set<Platform> AMD64_AND_ARM64 =
      new LinkedHashSet<>(List.of(new Platform("amd64", "linux"), new Platform("arm64", "linux")));

  @TempDir Path folder;

  @Test
  @DisplayName(
      "from a multi-platform base lands on three registries with one index digest, and arm64 gets"
          + " the arm64 image")
  void threeRegistriesOneIndex() throws Exception {
    PushReport base =
        Pipeline.prepare(NO_VARIABLES)
            .image(withFile(Jib.fromScratch(), "base.txt", "/base").setPlatforms(AMD64_AND_ARM64))
            .tags("1")
            .push(Target.to(BASE.reference("base/multi")).allowPlainHttp())
            .run();
    assertEquals(TargetStatus.PUSHED, base.results().get(0).status(), base::toString);
    assertEquals(Set.of("linux/amd64", "linux/arm64"), base.platforms().keySet());

    JibContainerBuilder app =
        withFile(Jib.from(BASE.reference("base/multi:1")), "app.txt", "/app")
            .setPlatforms(AMD64_AND_ARM64);
    PushReport report =
        Pipeline.prepare(NO_VARIABLES)
            .image(app)
            .tags("1.0")
            .push(Target.to(FIRST.reference("app/multi")).allowPlainHttp())
            .push(Target.to(SECOND.reference("app/multi")).allowPlainHttp())
            .push(
                Target.to(WITH_AUTH.reference("app/multi"))
                    .allowPlainHttp()
                    .credentials(CredentialSource.of(WITH_AUTH.username(), WITH_AUTH.password())))
            .run();

    assertEquals(3, report.withStatus(TargetStatus.PUSHED).size(), report::toString);
    String index = report.digest().orElseThrow();
    assertEquals(Set.of("linux/amd64", "linux/arm64"), report.platforms().keySet());
    assertNotEquals(report.platforms().get("linux/amd64"), report.platforms().get("linux/arm64"));
    for (LocalRegistryExtension registry : List.of(FIRST, SECOND, WITH_AUTH)) {
      assertEquals(
          Optional.of(index),
          RegistryChecker.manifestDigest(registry.host(), "app/multi", "1.0", registry.credentials()),
          registry.host());
      for (String platform : report.platforms().values()) {
        assertEquals(
            Optional.of(platform),
            RegistryChecker.manifestDigest(
                registry.host(), "app/multi", platform, registry.credentials()),
            registry.host() + " " + platform);
      }
      String arm64 =
          RegistryChecker.skopeoPlatform(
              registry.reference("app/multi:1.0"), "arm64", registry.credentials());
      String amd64 =
          RegistryChecker.skopeoPlatform(
              registry.reference("app/multi:1.0"), "amd64", registry.credentials());
      assertTrue(arm64.startsWith("arm64 ["), arm64);
      assertTrue(amd64.startsWith("amd64 ["), amd64);
    }
  }

  private JibContainerBuilder withFile(JibContainerBuilder builder, String name, String into)
      throws Exception {
    Path file = Files.createDirectories(folder.resolve(name + ".d")).resolve(name);
    Files.writeString(file, name + "\n");
    return builder.addLayer(List.of(file), AbsoluteUnixPath.get(into));
  }
}
