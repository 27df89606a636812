package dev.fanout.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.PushReport;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.testkit.BasicAuth;
import dev.fanout.testkit.LocalRegistryExtension;
import dev.fanout.testkit.RegistryChecker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a push by reading the registry itself, directly and not through any fault front, with
 * clients that are not Fanout's: a raw {@code GET} (through the testkit's {@link RegistryChecker})
 * and skopeo. A report can only claim; the registry shows.
 */
final class ReadBack {

  private static final Pattern DIGEST =
      Pattern.compile("\"digest\"\\s*:\\s*\"(sha256:[0-9a-f]{64})\"");
  private static final String IMAGE_MANIFESTS =
      "application/vnd.oci.image.manifest.v1+json,"
          + "application/vnd.docker.distribution.manifest.v2+json";
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private ReadBack() {}

  /**
   * Asserts that a target was pushed and that its registry serves, under {@code tag}, the manifest
   * whose digest the report gives, both to a raw GET and to skopeo.
   *
   * @param report the run's report
   * @param result the target's result in it
   * @param registry the registry behind the target, read directly
   * @param repository the target's repository
   * @param tag a tag the run pushed
   * @return the digest read back
   */
  static String assertServed(
      PushReport report,
      TargetResult result,
      LocalRegistryExtension registry,
      String repository,
      String tag) {
    assertEquals(TargetStatus.PUSHED, result.status(), report::toString);
    String digest = report.digest().orElseThrow(() -> new AssertionError("no digest: " + report));
    assertEquals(Optional.of(digest), result.digest(), report::toString);
    assertEquals(
        Optional.of(digest),
        RegistryChecker.manifestDigest(registry.host(), repository, tag, registry.credentials()),
        "raw GET of " + repository + ":" + tag);
    assertEquals(
        digest,
        RegistryChecker.skopeoDigest(
            registry.reference(repository + ":" + tag), registry.credentials()),
        "skopeo inspect of " + repository + ":" + tag);
    return digest;
  }

  /**
   * Asserts that the registry serves every blob the manifest names (config and layers), each
   * hashing to its digest.
   *
   * @param registry the registry, read directly
   * @param repository the repository
   * @param tag the manifest's tag
   * @return the digests checked
   */
  static List<String> assertEveryBlobServed(
      LocalRegistryExtension registry, String repository, String tag)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://" + registry.host() + "/v2/" + repository + "/manifests/" + tag))
            .header("Accept", IMAGE_MANIFESTS)
            .timeout(Duration.ofSeconds(30));
    registry.credentials().ifPresent(c -> request.header("Authorization", basic(c)));
    HttpResponse<String> manifest =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, manifest.statusCode(), manifest::body);
    Matcher digest = DIGEST.matcher(manifest.body());
    List<String> blobs = new ArrayList<>();
    while (digest.find()) {
      blobs.add(digest.group(1));
    }
    assertFalse(blobs.isEmpty(), manifest::body);
    for (String blob : blobs) {
      assertTrue(
          RegistryChecker.blobDigestMatches(
              registry.host(), repository, blob, registry.credentials()),
          () -> repository + " does not serve " + blob);
    }
    return blobs;
  }

  private static String basic(BasicAuth credentials) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(
                (credentials.username() + ":" + credentials.password())
                    .getBytes(StandardCharsets.UTF_8));
  }
}
