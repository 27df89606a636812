package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fanout.Environment;
import dev.fanout.testkit.BasicAuth;
import dev.fanout.testkit.DockerArchives;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.OciLayouts;
import dev.fanout.testkit.RegistryChecker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fanout push --from} of each kind, to and from a token-auth registry, checked with skopeo.
 */
@DisplayName("fanout push --from")
class FromSourcesTest {

  private static final String USER = "from-bot";
  private static final String PASSWORD = "from-test-password";
  private static final Optional<BasicAuth> CREDENTIALS = Optional.of(new BasicAuth(USER, PASSWORD));

  /** The command's own variables: the credential for every REFERENCE and for the source. */
  private static final Environment FANOUT_CREDENTIALS =
      Environment.of(Map.of("FANOUT_USERNAME", USER, "FANOUT_PASSWORD", PASSWORD));

  @RegisterExtension
  static final LocalRegistryExtension BASIC = LocalRegistryExtension.withBasicAuth(USER, PASSWORD);

  @RegisterExtension
  static final TokenRegistryExtension TOKEN = new TokenRegistryExtension(USER, PASSWORD);

  @TempDir Path folder;

  @Test
  @DisplayName(
      "oci: pushes a multi-platform layout to a token-auth registry with the layout's index digest")
  void ociLayout() {
    OciLayouts.Layout layout = OciLayouts.buildx(folder.resolve("layout"));

    CliRun run = push("oci:" + layout.path(), TOKEN.reference("from/oci:1"));

    assertEquals(FanoutCli.EXIT_PUSHED, run.status(), run.printed());
    assertEquals(layout.digest(), run.digest());
    assertEquals(
        layout.digest(), RegistryChecker.skopeoDigest(TOKEN.reference("from/oci:1"), CREDENTIALS));
  }

  @Test
  @DisplayName(
      "docker-archive: pushes a docker save tarball to a token-auth and a Basic-auth registry with"
          + " one digest")
  void dockerArchive() {
    DockerArchives.Archive archive =
        DockerArchives.dockerSave(folder.resolve("app.tar"), "demo/app:1");

    CliRun run =
        push(
            "docker-archive:" + archive.path(),
            TOKEN.reference("from/archive:1"),
            BASIC.reference("from/archive:1"));

    assertEquals(FanoutCli.EXIT_PUSHED, run.status(), run.printed());
    assertEquals(
        run.digest(), RegistryChecker.skopeoDigest(TOKEN.reference("from/archive:1"), CREDENTIALS));
    assertEquals(
        run.digest(), RegistryChecker.skopeoDigest(BASIC.reference("from/archive:1"), CREDENTIALS));
  }

  @Test
  @DisplayName(
      "docker:// copies an image out of a token-auth registry to a Basic-auth one, keeping its"
          + " digest")
  void registryCopy() {
    OciLayouts.Layout layout = OciLayouts.buildx(folder.resolve("layout"));
    CliRun pushed = push("oci:" + layout.path(), TOKEN.reference("from/source:1"));

    CliRun copied =
        push("docker://" + TOKEN.reference("from/source:1"), BASIC.reference("from/copy:1"));

    assertEquals(FanoutCli.EXIT_PUSHED, pushed.status(), pushed.printed());
    assertEquals(FanoutCli.EXIT_PUSHED, copied.status(), copied.printed());
    assertEquals(layout.digest(), copied.digest());
    assertEquals(
        layout.digest(), RegistryChecker.skopeoDigest(BASIC.reference("from/copy:1"), CREDENTIALS));
  }

  /** {@code fanout push --plain-http --from SOURCE REFERENCE...} with the command's credentials. */
  private static CliRun push(String source, String... references) {
    List<String> args = new ArrayList<>(List.of("push", "--plain-http", "--from", source));
    args.addAll(List.of(references));
    return CliRun.of(FANOUT_CREDENTIALS, args.toArray(String[]::new));
  }
}
