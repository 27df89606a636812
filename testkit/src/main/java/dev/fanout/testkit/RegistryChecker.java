package dev.fanout.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks what a loopback test registry really holds, independently of the code under test.
 *
 * <p>It uses only {@link HttpClient} and the {@code skopeo} command line, never Jib or Fanout
 * code, so that a bug shared by the pusher and the checker cannot hide itself. Two independent
 * readings of a manifest digest (a raw HTTP GET and skopeo) agreeing is strong evidence that the
 * image landed as intended.
 *
 * <p>Requests go over plain HTTP with preemptive Basic auth, so the checker refuses any host that
 * is not loopback: credentials must never travel in clear text off the machine.
 *
 * <p>Errors: an unexpected HTTP status throws {@link IllegalStateException} with the method, URL,
 * status and response body; content that does not match its digest throws {@link AssertionError},
 * since that is the very thing being checked.
 */
public final class RegistryChecker {

  static final String SKOPEO = "skopeo";
  static final String SKOPEO_INSTALL_HINT =
      "apt-get install -y skopeo (Debian/Ubuntu package skopeo)";

  /**
   * Every manifest type a push may produce. Distribution only returns the stored bytes unchanged
   * when their type is accepted; otherwise it answers 404 (OCI) or converts to schema 1 (Docker),
   * and the digest would no longer be that of what was pushed.
   */
  private static final String MANIFEST_TYPES = String.join(", ",
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.v2+json",
      "application/vnd.docker.distribution.manifest.list.v2+json");

  private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]");
  private static final Pattern TAG_ARRAY = Pattern.compile("\"tags\"\\s*:\\s*\\[([^\\]]*)]");
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
  private static final Pattern DIGEST_LINE =
      Pattern.compile("^(sha256:[0-9a-f]{64})$", Pattern.MULTILINE);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration SKOPEO_TIMEOUT = Duration.ofSeconds(60);
  private static final int BODY_IN_MESSAGES = 500;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NORMAL)
      .build();

  private RegistryChecker() {}

  /**
   * Reads a manifest with a raw {@code GET /v2/<repository>/manifests/<reference>} and returns
   * its digest.
   *
   * <p>The digest is computed from the bytes received and must equal the registry's
   * {@code Docker-Content-Digest} header; the two disagreeing means the registry stored something
   * other than what it claims.
   *
   * @param host a loopback registry, for example {@link LocalRegistry#host()}
   * @param repository for example {@code "demo/app"}
   * @param reference a tag or a {@code sha256:} digest
   * @param credentials Basic auth credentials, or empty for an anonymous request
   * @return the manifest's {@code sha256:} digest, or empty if the registry answers 404 (no such
   *     repository or manifest), so that "was deleted" and "was never pushed" are easy to assert
   * @throws AssertionError if the body's digest differs from the {@code Docker-Content-Digest}
   *     header
   * @throws IllegalStateException on any other status than 200 or 404, for example 401 for bad
   *     credentials
   */
  public static Optional<String> manifestDigest(String host, String repository, String reference,
      Optional<BasicAuth> credentials) {
    Objects.requireNonNull(reference, "reference");
    HttpResponse<byte[]> response =
        get(host, "/v2/" + repository + "/manifests/" + reference, MANIFEST_TYPES, credentials);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    requireOk(response, credentials);
    String computed = Digests.sha256(response.body());
    String announced = response.headers().firstValue("Docker-Content-Digest")
        .orElse("(no Docker-Content-Digest header)");
    if (!computed.equals(announced)) {
      throw new AssertionError("the manifest at " + response.uri() + " hashes to " + computed
          + " but the registry announced Docker-Content-Digest " + announced);
    }
    return Optional.of(computed);
  }

  /**
   * Asks skopeo for the digest of an image, as a second, independent reading of
   * {@link #manifestDigest}. Runs {@code skopeo inspect --tls-verify=false} with {@code --creds} or
   * {@code --no-creds} (never credentials from the machine's auth files), and never shows the
   * command line in messages because it holds the password.
   *
   * @param imageReference for example {@code "127.0.0.1:PORT/demo/app:1"}, as made by
   *     {@link LocalRegistry#reference}
   * @param credentials credentials for the registry, or empty for anonymous access
   * @return the {@code sha256:} digest skopeo reports
   * @throws IllegalStateException if skopeo is missing (the message says how to install it), fails
   *     (the message includes its error output, with the password blanked out) or takes over 60 s
   */
  public static String skopeoDigest(String imageReference, Optional<BasicAuth> credentials) {
    return skopeoDigest(SKOPEO, imageReference, credentials);
  }

  /** {@link #skopeoDigest(String, Optional)} with the program given, so tests can remove it. */
  static String skopeoDigest(
      String skopeo, String imageReference, Optional<BasicAuth> credentials) {
    Objects.requireNonNull(imageReference, "imageReference");
    List<String> command = new ArrayList<>(
        List.of(skopeo, "inspect", "--tls-verify=false", "--format", "{{.Digest}}"));
    credentials.ifPresentOrElse(
        c -> command.addAll(List.of("--creds", c.username() + ":" + c.password())),
        () -> command.add("--no-creds"));
    command.add("docker://" + imageReference);
    String description = "skopeo inspect docker://" + imageReference
        + credentials.map(c -> " as " + c.username()).orElse("");
    ExternalCommand.Result result =
        ExternalCommand.run(command, "", SKOPEO_TIMEOUT, SKOPEO_INSTALL_HINT, description);
    if (result.exitCode() != 0) {
      String error = credentials.map(c -> result.stderr().replace(c.password(), "***"))
          .orElse(result.stderr());
      throw new IllegalStateException(
          description + " failed with exit code " + result.exitCode() + ": " + error.strip());
    }
    Matcher digest = DIGEST_LINE.matcher(result.stdout());
    if (!digest.find()) {
      throw new IllegalStateException(description + " printed no sha256 digest; its output was: "
          + result.stdout().strip());
    }
    return digest.group(1);
  }

  /**
   * Reads the image in a {@code docker save} tarball with skopeo ({@code skopeo inspect --config
   * --raw docker-archive:PATH}) and returns the digest of its config: a reading of a tarball by a
   * client that is not Fanout's. The config names every layer's diff ID, so two images with one
   * config digest hold the same layers.
   *
   * @param archive the tarball
   * @param repoTag the {@code repository:tag} skopeo must find in it, e.g. {@code acme/app:1.0.0}
   * @return the {@code sha256:} digest of the config's bytes
   * @throws IllegalStateException if skopeo is missing, cannot read the tarball or finds no image
   *     under {@code repoTag}
   */
  public static String skopeoArchiveConfigDigest(Path archive, String repoTag) {
    String source = "docker-archive:" + archive.toAbsolutePath() + ":" + repoTag;
    String description = "skopeo inspect --config --raw " + source;
    ExternalCommand.Result result =
        ExternalCommand.run(
            List.of(SKOPEO, "inspect", "--config", "--raw", source),
            "",
            SKOPEO_TIMEOUT,
            SKOPEO_INSTALL_HINT,
            description);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          description + " failed with exit code " + result.exitCode() + ": "
              + result.stderr().strip());
    }
    return Digests.sha256(result.stdout().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Asks skopeo which image a machine of another architecture gets from a reference: skopeo picks
   * the platform's manifest out of an index as a runtime would ({@code --override-os linux
   * --override-arch ...}) and prints that image's architecture and layers.
   *
   * @param imageReference for example {@code "127.0.0.1:PORT/demo/app:1"}
   * @param architecture for example {@code "arm64"}
   * @param credentials credentials for the registry, or empty for anonymous access
   * @return skopeo's {@code .Architecture} and {@code .Layers}, for example {@code arm64
   *     [sha256:... sha256:...]}
   * @throws IllegalStateException if skopeo is missing or fails, as {@link #skopeoDigest} does
   */
  public static String skopeoPlatform(
      String imageReference, String architecture, Optional<BasicAuth> credentials) {
    Objects.requireNonNull(imageReference, "imageReference");
    List<String> command =
        new ArrayList<>(
            List.of(
                SKOPEO,
                "--override-os",
                "linux",
                "--override-arch",
                architecture,
                "inspect",
                "--tls-verify=false",
                "--format",
                "{{.Architecture}} {{.Layers}}"));
    credentials.ifPresentOrElse(
        c -> command.addAll(List.of("--creds", c.username() + ":" + c.password())),
        () -> command.add("--no-creds"));
    command.add("docker://" + imageReference);
    String description =
        "skopeo --override-arch " + architecture + " inspect docker://" + imageReference;
    ExternalCommand.Result result =
        ExternalCommand.run(command, "", SKOPEO_TIMEOUT, SKOPEO_INSTALL_HINT, description);
    if (result.exitCode() != 0) {
      String error =
          credentials.map(c -> result.stderr().replace(c.password(), "***")).orElse(result.stderr());
      throw new IllegalStateException(
          description + " failed with exit code " + result.exitCode() + ": " + error.strip());
    }
    return result.stdout().strip();
  }

  /**
   * Downloads a blob with {@code GET /v2/<repository>/blobs/<digest>} and checks that its bytes
   * hash to {@code digest}, that is, that the registry serves the layer or config it was given.
   *
   * @param host a loopback registry, for example {@link LocalRegistry#host()}
   * @param repository for example {@code "demo/app"}
   * @param digest the expected {@code sha256:} digest
   * @param credentials Basic auth credentials, or empty for an anonymous request
   * @return true if the registry serves the blob with exactly that digest; false if the content
   *     differs or the registry answers 404 (blob unknown in that repository)
   * @throws IllegalArgumentException if {@code digest} is not a {@code sha256:} digest
   * @throws IllegalStateException on any other status than 200 or 404
   */
  public static boolean blobDigestMatches(String host, String repository, String digest,
      Optional<BasicAuth> credentials) {
    Digests.requireSha256(digest);
    HttpResponse<byte[]> response =
        get(host, "/v2/" + repository + "/blobs/" + digest, "*/*", credentials);
    if (response.statusCode() == 404) {
      return false;
    }
    requireOk(response, credentials);
    return Digests.sha256(response.body()).equals(digest);
  }

  /**
   * Lists a repository's tags with {@code GET /v2/<repository>/tags/list}.
   *
   * @param host a loopback registry, for example {@link LocalRegistry#host()}
   * @param repository for example {@code "demo/app"}
   * @param credentials Basic auth credentials, or empty for an anonymous request
   * @return the tags in the registry's order; empty if the repository is unknown (404) or has no
   *     tags
   * @throws IllegalStateException on any other status than 200 or 404
   */
  public static List<String> tags(String host, String repository, Optional<BasicAuth> credentials) {
    HttpResponse<byte[]> response =
        get(host, "/v2/" + repository + "/tags/list", "application/json", credentials);
    if (response.statusCode() == 404) {
      return List.of();
    }
    requireOk(response, credentials);
    // The body is {"name":"...","tags":[...]} or, with no tags left, "tags":null. Tags cannot
    // contain quotes, so two small patterns read it without a JSON library.
    Matcher array = TAG_ARRAY.matcher(new String(response.body(), StandardCharsets.UTF_8));
    List<String> tags = new ArrayList<>();
    if (array.find()) {
      Matcher tag = QUOTED.matcher(array.group(1));
      while (tag.find()) {
        tags.add(tag.group(1));
      }
    }
    return List.copyOf(tags);
  }

  private static HttpResponse<byte[]> get(
      String host, String path, String accept, Optional<BasicAuth> credentials) {
    requireLoopback(host);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + path))
        .timeout(REQUEST_TIMEOUT)
        .header("Accept", accept)
        .GET();
    credentials.ifPresent(c -> request.header("Authorization", c.basicAuthorization()));
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IllegalStateException("GET http://" + host + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during GET http://" + host + path, e);
    }
  }

  private static void requireOk(HttpResponse<byte[]> response, Optional<BasicAuth> credentials) {
    int status = response.statusCode();
    if (status == 200) {
      return;
    }
    String body = new String(response.body(), StandardCharsets.UTF_8).strip();
    if (body.length() > BODY_IN_MESSAGES) {
      body = body.substring(0, BODY_IN_MESSAGES) + "...";
    }
    String auth = status != 401 ? ""
        : credentials.map(c -> " (the registry rejected " + c + ")")
            .orElse(" (no credentials were sent)");
    throw new IllegalStateException(
        "GET " + response.uri() + " answered HTTP " + status + auth + ": " + body);
  }

  private static void requireLoopback(String host) {
    String name = Objects.requireNonNull(host, "host").replaceFirst(":\\d+$", "");
    if (!LOOPBACK_HOSTS.contains(name)) {
      throw new IllegalArgumentException("RegistryChecker speaks plain HTTP with Basic auth, so it"
          + " only talks to loopback registries (127.0.0.1, localhost, [::1]); got host " + host);
    }
  }
}
