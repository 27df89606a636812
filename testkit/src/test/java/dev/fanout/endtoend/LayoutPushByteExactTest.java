package dev.fanout.endtoend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.ImageSource;
import dev.fanout.Pipeline;
import dev.fanout.PushReport;
import dev.fanout.Target;
import dev.fanout.TargetStatus;
import dev.fanout.testkit.BasicAuth;
import dev.fanout.testkit.LocalRegistry;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.LoopbackTokenService;
import dev.fanout.testkit.OciLayouts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A buildx-shaped OCI layout (an index with annotations, one of them outside ASCII, an unknown
 * field, amd64 and arm64/v8 manifests and two attestation manifests) pushed through the public API
 * to a plain, an htpasswd and a token-auth registry in one run; every registry read back with
 * {@code skopeo inspect --raw}, byte for byte.
 */
@DisplayName("A buildx layout pushed to three kinds of registry")
class LayoutPushByteExactTest {

  private static final String USER = "robot";
  private static final String PASSWORD = "layout-Byte-Exact-pass";
  private static final Environment NO_VARIABLES = Environment.of(Map.of());
  private static final Map<String, String> C_LOCALE = Map.of("LANG", "C", "LC_ALL", "C");

  @RegisterExtension static final LocalRegistryExtension PLAIN = LocalRegistryExtension.plain();

  @RegisterExtension
  static final LocalRegistryExtension HTPASSWD =
      LocalRegistryExtension.withBasicAuth(USER, PASSWORD);

  private static LoopbackTokenService tokens;
  private static LocalRegistry tokenRegistry;

  @TempDir Path folder;

  /** A registry the run pushes to, with what skopeo needs to read it back. */
  private record Registry(String host, String name, Optional<BasicAuth> credentials) {
    String reference(String repositoryAndReference) {
      return host + "/" + repositoryAndReference;
    }
  }

  @BeforeAll
  static void startTokenRegistry() throws Exception {
    tokens = new LoopbackTokenService(USER, PASSWORD);
    tokenRegistry = LocalRegistry.withTokenAuth(tokens.auth()).start();
  }

  @AfterAll
  static void stopTokenRegistry() {
    tokenRegistry.close();
    tokens.close();
  }

  @Test
  @DisplayName(
      "from a folder: every registry serves the index and each manifest byte for byte, also to"
          + " skopeo under LANG=C, and the report gives the index digest and two platforms")
  void folderLandsByteForByte() throws Exception {
    OciLayouts.Layout layout = OciLayouts.buildx(folder.resolve("buildx"));

    PushReport report = pushToAll(ImageSource.ociLayout(layout.path()), "acme/folder", "1.0");

    assertLandedByteForByte(report, layout, "acme/folder", "1.0");
    Registry token = registries().get(2);
    assertArrayEquals(
        layout.bytesOf(layout.digest()),
        SkopeoRaw.read(token.reference("acme/folder:1.0"), token.credentials(), C_LOCALE),
        "the index read by skopeo under LANG=C");
    for (String manifest : layout.manifests()) {
      assertArrayEquals(
          layout.bytesOf(manifest),
          SkopeoRaw.read(token.reference("acme/folder@" + manifest), token.credentials(), C_LOCALE),
          manifest + " read by skopeo under LANG=C");
    }
  }

  @Test
  @DisplayName("from a tar of the layout: every registry serves the same bytes and digests")
  void tarLandsByteForByte() throws Exception {
    OciLayouts.Layout layout = OciLayouts.buildx(folder.resolve("buildx"));
    Path tar = OciLayouts.asTar(layout.path(), folder.resolve("buildx.tar"));

    PushReport report = pushToAll(ImageSource.ociLayout(tar), "acme/tar", "2.0");

    assertLandedByteForByte(report, layout, "acme/tar", "2.0");
  }

  private static PushReport pushToAll(ImageSource source, String repository, String tag) {
    List<Registry> registries = registries();
    return Pipeline.prepare(NO_VARIABLES)
        .image(source)
        .tags(tag)
        .push(Target.to(registries.get(0).reference(repository)).allowPlainHttp())
        .push(
            Target.to(registries.get(1).reference(repository))
                .allowPlainHttp()
                .credentials(CredentialSource.of(USER, PASSWORD)))
        .push(
            Target.to(registries.get(2).reference(repository))
                .allowPlainHttp()
                .credentials(CredentialSource.of(USER, PASSWORD)))
        .run();
  }

  private static void assertLandedByteForByte(
      PushReport report, OciLayouts.Layout layout, String repository, String tag) throws Exception {
    assertEquals(3, report.withStatus(TargetStatus.PUSHED).size(), report::toString);
    assertEquals(Optional.of(layout.digest()), report.digest(), report::toString);
    assertEquals(layout.platforms(), report.platforms(), "platforms, attestations left out");
    assertEquals(5, layout.manifests().size(), "amd64, arm64, two attestations and the index");
    for (Registry registry : registries()) {
      assertArrayEquals(
          layout.bytesOf(layout.digest()),
          SkopeoRaw.read(registry.reference(repository + ":" + tag), registry.credentials()),
          "the index on the " + registry.name() + " registry");
      for (String manifest : layout.manifests()) {
        assertArrayEquals(
            layout.bytesOf(manifest),
            SkopeoRaw.read(registry.reference(repository + "@" + manifest), registry.credentials()),
            manifest + " on the " + registry.name() + " registry");
      }
    }
  }

  private static List<Registry> registries() {
    return List.of(
        new Registry(PLAIN.host(), "plain", Optional.empty()),
        new Registry(HTPASSWD.host(), "htpasswd", HTPASSWD.credentials()),
        new Registry(
            tokenRegistry.host(), "token-auth", Optional.of(new BasicAuth(USER, PASSWORD))));
  }
}
