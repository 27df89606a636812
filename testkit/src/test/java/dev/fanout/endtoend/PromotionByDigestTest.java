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
import dev.fanout.testkit.BasicAuth;
import dev.fanout.testkit.LocalRegistry;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.LoopbackTokenService;
import dev.fanout.testkit.OciLayouts;
import dev.fanout.testkit.RegistryChecker;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Promotion: an image already in registry A copied by digest, in one run, to registry B and to
 * another repository of A. Every copy keeps the digest; on A nothing is uploaded (every blob is
 * mounted from the source repository), and B receives every blob. What landed is read with raw
 * GETs, and what A did is read from A's own request log. Then the same within a token-auth
 * registry, where a mount needs a token for the source too.
 */
@DisplayName("Promotion by digest")
class PromotionByDigestTest {

  private static final Environment NO_VARIABLES = Environment.of(Map.of());
  private static final String USER = "robot";
  private static final String PASSWORD = "promotion-Token-pass";
  private static final Pattern MOUNTED =
      Pattern.compile("\"POST /v2/[^ ]*/blobs/uploads/\\?mount=sha256(?::|%3A)([0-9a-f]{64})");

  @RegisterExtension static final LocalRegistryExtension A = LocalRegistryExtension.plain();

  @RegisterExtension static final LocalRegistryExtension B = LocalRegistryExtension.plain();

  @TempDir Path folder;

  /** The kinds of image a release promotes, as layouts to put into registry A first. */
  enum Kind {
    OCI_INDEX(OciLayouts::buildx),
    OCI_MANIFEST(OciLayouts::singleManifest),
    DOCKER_MANIFEST(OciLayouts::dockerManifest),
    DOCKER_MANIFEST_LIST(OciLayouts::dockerManifestList);

    private final Function<Path, OciLayouts.Layout> fixture;

    Kind(Function<Path, OciLayouts.Layout> fixture) {
      this.fixture = fixture;
    }

    String repository(String name) {
      return name().toLowerCase().replace('_', '-') + "/" + name;
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Kind.class)
  @DisplayName(
      "to another host and to another repository of the source's host keeps the digest; the"
          + " source's host mounts every blob and uploads none, the other host receives every blob")
  void keepsTheDigestAndMountsOnTheSameHost(Kind kind) throws Exception {
    OciLayouts.Layout layout = kind.fixture.apply(folder.resolve("layout"));
    String source = kind.repository("src");
    String sameHost = kind.repository("other");
    String otherHost = kind.repository("dst");
    PushReport first =
        Pipeline.prepare(NO_VARIABLES)
            .image(ImageSource.ociLayout(layout.path()))
            .tags("1")
            .push(Target.to(A.reference(source)).allowPlainHttp())
            .run();
    assertEquals(Optional.of(layout.digest()), first.digest(), first::toString);

    PushReport promoted =
        Pipeline.prepare(NO_VARIABLES)
            .image(
                ImageSource.registryImageOverPlainHttp(
                    A.reference(source + "@" + layout.digest()),
                    CredentialSource.anonymous(),
                    NO_VARIABLES))
            .tags("promoted")
            .push(Target.to(B.reference(otherHost)).allowPlainHttp())
            .push(Target.to(A.reference(sameHost)).allowPlainHttp())
            .run();

    assertEquals(2, promoted.withStatus(TargetStatus.PUSHED).size(), promoted::toString);
    assertEquals(Optional.of(layout.digest()), promoted.digest(), promoted::toString);
    assertEquals(layout.platforms(), promoted.platforms(), promoted::toString);
    for (String manifest : layout.manifests()) {
      assertEquals(
          Optional.of(manifest),
          RegistryChecker.manifestDigest(A.host(), source, manifest, none()));
    }
    assertEquals(
        Optional.of(layout.digest()),
        RegistryChecker.manifestDigest(A.host(), source, "1", none()),
        "the source");
    assertEquals(
        Optional.of(layout.digest()),
        RegistryChecker.manifestDigest(A.host(), sameHost, "promoted", none()),
        "the copy on the source's host");
    assertEquals(
        Optional.of(layout.digest()),
        RegistryChecker.manifestDigest(B.host(), otherHost, "promoted", none()),
        "the copy on another host");
    for (String manifest : layout.manifests()) {
      assertEquals(
          Optional.of(manifest),
          RegistryChecker.manifestDigest(A.host(), sameHost, manifest, none()),
          manifest + " on the source's host");
      assertEquals(
          Optional.of(manifest),
          RegistryChecker.manifestDigest(B.host(), otherHost, manifest, none()),
          manifest + " on another host");
    }

    String log = A.log();
    assertEquals(0, uploadSteps(log, sameHost), "uploads on the source's host:\n" + log);
    assertEquals(Set.copyOf(layout.blobs()), mounted(log, sameHost), log);
    for (String blob : layout.blobs()) {
      assertTrue(
          RegistryChecker.blobDigestMatches(B.host(), otherHost, blob, none()),
          () -> otherHost + " on another host does not serve " + blob);
      assertTrue(
          RegistryChecker.blobDigestMatches(A.host(), sameHost, blob, none()),
          () -> sameHost + " does not serve " + blob);
    }
  }

  /**
   * On a token-auth registry a mount needs a token that also grants {@code pull} on the source
   * repository; without it Distribution answers the mount with a new upload session instead.
   */
  @Test
  @DisplayName(
      "by tag within a token-auth registry, pulled with a credential, keeps the digest and mounts"
          + " every blob")
  void byTagWithinTokenAuthRegistryMountsEveryBlob() throws Exception {
    OciLayouts.Layout layout = OciLayouts.buildx(folder.resolve("layout"));
    CredentialSource robot = CredentialSource.of(USER, PASSWORD);
    Optional<BasicAuth> credentials = Optional.of(new BasicAuth(USER, PASSWORD));
    try (LoopbackTokenService tokens = new LoopbackTokenService(USER, PASSWORD);
        LocalRegistry registry = LocalRegistry.withTokenAuth(tokens.auth()).start()) {
      PushReport first =
          Pipeline.prepare(NO_VARIABLES)
              .image(ImageSource.ociLayout(layout.path()))
              .tags("1")
              .push(Target.to(registry.reference("team/src")).allowPlainHttp().credentials(robot))
              .run();
      assertEquals(Optional.of(layout.digest()), first.digest(), first::toString);

      PushReport promoted =
          Pipeline.prepare(NO_VARIABLES)
              .image(
                  ImageSource.registryImageOverPlainHttp(
                      registry.reference("team/src:1"), robot, NO_VARIABLES))
              .tags("promoted")
              .push(
                  Target.to(registry.reference("team/release")).allowPlainHttp().credentials(robot))
              .run();

      assertEquals(1, promoted.withStatus(TargetStatus.PUSHED).size(), promoted::toString);
      assertEquals(Optional.of(layout.digest()), promoted.digest(), promoted::toString);
      assertEquals(
          layout.digest(),
          RegistryChecker.skopeoDigest(registry.reference("team/release:promoted"), credentials));
      String log = registry.log();
      assertEquals(0, uploadSteps(log, "team/release"), "uploads:\n" + log);
      assertEquals(Set.copyOf(layout.blobs()), mounted(log, "team/release"), log);
    }
  }

  /** Upload steps in a repository: POSTs opening a session without a mount, PATCHes and PUTs. */
  private static long uploadSteps(String log, String repository) {
    String uploads = " /v2/" + repository + "/blobs/uploads/";
    return log.lines()
        .filter(
            line ->
                line.contains("\"POST" + uploads + " HTTP")
                    || line.contains("\"PATCH" + uploads)
                    || line.contains("\"PUT" + uploads))
        .count();
  }

  /**
   * The blobs a repository received by a mount that the registry answered 201 Created. The registry
   * logs the query as sent, the digest's colon percent-encoded.
   */
  private static Set<String> mounted(String log, String repository) {
    Set<String> digests = new LinkedHashSet<>();
    log.lines()
        .filter(line -> line.contains("\"POST /v2/" + repository + "/blobs/uploads/?mount="))
        .filter(line -> line.contains("\" 201 "))
        .forEach(
            line -> {
              Matcher mount = MOUNTED.matcher(line);
              assertTrue(mount.find(), line);
              digests.add("sha256:" + mount.group(1));
            });
    return digests;
  }

  private static Optional<BasicAuth> none() {
    return Optional.empty();
  }
}
