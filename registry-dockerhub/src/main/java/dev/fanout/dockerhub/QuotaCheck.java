package dev.fanout.dockerhub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.RegistryCredential;
import dev.fanout.spi.EndpointSafety;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Docker Hub's pull quota without spending a pull, as Docker documents it: a token for
 * {@code repository:ratelimitpreview/test:pull}, then a {@code HEAD} of that repository's manifest.
 * A {@code HEAD} is not counted; a {@code GET} of a manifest would be, so none is ever sent.
 *
 * <p>Two requests through the JDK's {@link HttpURLConnection}, not its {@code HttpClient}: a client
 * keeps a selector thread in native code until it is collected, and the JVM's exit waits up to 0.3 s
 * for such a thread (see {@code RegistryTransport} in the core), which every command-line push to
 * Docker Hub paid while this check held one for good. Redirects are not followed, so a credential
 * never reaches another host, and credentials or tokens go over plain HTTP only to a loopback
 * address.
 */
final class QuotaCheck {

  /** The repository Docker set up for quota checks (docs.docker.com/docker-hub/usage/pulls). */
  static final String PREVIEW_REPOSITORY = "ratelimitpreview/test";

  /** The tag whose manifest is asked for with {@code HEAD}. */
  static final String PREVIEW_TAG = "latest";

  /**
   * How long each of the check's requests may take. The check is a convenience, so it gives up
   * well before a push would.
   */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Every manifest type, so a registry does not refuse the {@code HEAD} for want of a type it can
   * serve.
   */
  private static final String MANIFEST_TYPES =
      String.join(
          ", ",
          "application/vnd.docker.distribution.manifest.list.v2+json",
          "application/vnd.docker.distribution.manifest.v2+json",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.oci.image.manifest.v1+json");

  /**
   * The fields of the token service's JSON answer that may hold the token, in the order they are
   * read: either name may be used (registry-protocols.md §1.4), and Docker Hub sends both.
   */
  private static final List<String> TOKEN_FIELDS = List.of("token", "access_token");

  /** The most of a token service's answer that is read: Docker Hub's tokens take a few KiB. */
  private static final int MAX_BODY = 64 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DockerHubEndpoints endpoints;

  QuotaCheck(DockerHubEndpoints endpoints) {
    this.endpoints = endpoints;
  }

  /**
   * Asks for the quota.
   *
   * @param credential the account to ask for, or empty for the anonymous quota of this address
   * @return the quota, or empty when Docker Hub sent no rate-limit headers (pulls not limited)
   * @throws IOException when the registry or token service cannot be reached or refuses; the
   *     message holds no secret
   * @throws InterruptedException when interrupted
   */
  Optional<PullQuota> check(Optional<RegistryCredential> credential)
      throws IOException, InterruptedException {
    URI manifest =
        endpoints.registry().resolve("/v2/" + PREVIEW_REPOSITORY + "/manifests/" + PREVIEW_TAG);
    Answer response;
    if (endpoints.tokenService().isPresent()) {
      String token = token(endpoints.tokenService().get(), DockerHubEndpoints.SERVICE, credential);
      response = head(manifest, Optional.of("Bearer " + token));
    } else {
      response = head(manifest, Optional.empty());
      if (response.status() == 401) {
        response = head(manifest, Optional.of(answer(challenge(response), credential, manifest)));
      }
    }
    return read(response);
  }

  private String answer(AuthChallenge challenge, Optional<RegistryCredential> credential, URI url)
      throws IOException, InterruptedException {
    if (challenge.scheme().equals("bearer")) {
      URI realm =
          challenge
              .parameter("realm")
              .map(URI::create)
              .orElseThrow(() -> new IOException(url.getAuthority() + " names no token realm"));
      String service = challenge.parameter("service").orElse(DockerHubEndpoints.SERVICE);
      return "Bearer " + token(realm, service, credential);
    }
    if (challenge.scheme().equals("basic") && credential.isPresent()) {
      requireSafe(url);
      return basic(credential.get());
    }
    throw new IOException(
        url.getAuthority() + " asks for " + challenge.scheme() + " authentication without a"
            + " credential to give it");
  }

  private static AuthChallenge challenge(Answer response) throws IOException {
    return response
        .header("www-authenticate")
        .flatMap(AuthChallenge::parse)
        .orElseThrow(() -> new IOException("HTTP 401 without a challenge from " + response.uri()));
  }

  private String token(URI realm, String service, Optional<RegistryCredential> credential)
      throws IOException, InterruptedException {
    String scope = "repository:" + PREVIEW_REPOSITORY + ":pull";
    URI url =
        URI.create(
            realm
                + (realm.getRawQuery() == null ? "?" : "&")
                + "service="
                + URLEncoder.encode(service, StandardCharsets.UTF_8)
                + "&scope="
                + URLEncoder.encode(scope, StandardCharsets.UTF_8));
    Map<String, String> headers = Map.of();
    if (credential.isPresent()) {
      requireSafe(url);
      headers = Map.of("Authorization", basic(credential.get()));
    }
    Answer response = exchange("GET", url, headers);
    if (response.status() != 200) {
      throw new IOException(
          "the token service at "
              + realm.getAuthority()
              + " answered HTTP "
              + response.status()
              + credential.map(found -> " for user " + found.username()).orElse(""));
    }
    return tokenIn(response.body())
        .orElseThrow(
            () ->
                new IOException("the token service at " + realm.getAuthority() + " sent no token"));
  }

  /**
   * The token in a token service's answer: the first of {@link #TOKEN_FIELDS} that is a non-empty
   * string. Nothing of a body that is not JSON is quoted, since it may hold a token.
   */
  static Optional<String> tokenIn(String body) {
    JsonNode answer;
    try {
      answer = JSON.readTree(body);
    } catch (JsonProcessingException notJson) {
      return Optional.empty();
    }
    if (answer == null) {
      return Optional.empty();
    }
    return TOKEN_FIELDS.stream()
        .map(answer::get)
        .filter(field -> field != null && field.isTextual() && !field.asText().isEmpty())
        .map(JsonNode::asText)
        .findFirst();
  }

  private Answer head(URI manifest, Optional<String> authorization)
      throws IOException, InterruptedException {
    if (authorization.isPresent()) {
      requireSafe(manifest);
      return exchange(
          "HEAD", manifest, Map.of("Accept", MANIFEST_TYPES, "Authorization", authorization.get()));
    }
    return exchange("HEAD", manifest, Map.of("Accept", MANIFEST_TYPES));
  }

  /**
   * One request, on a connection of its own that is closed after it: its status, headers and (for
   * a {@code GET}) at most {@link #MAX_BODY} bytes of its body. The connection cannot be
   * interrupted, so an interrupt is honoured before it opens.
   */
  private static Answer exchange(String method, URI url, Map<String, String> headers)
      throws IOException, InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before " + method + " " + url.getAuthority());
    }
    HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
    try {
      connection.setRequestMethod(method);
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setConnectTimeout((int) REQUEST_TIMEOUT.toMillis());
      connection.setReadTimeout((int) REQUEST_TIMEOUT.toMillis());
      headers.forEach(connection::setRequestProperty);
      int status = connection.getResponseCode();
      String body = "";
      if (method.equals("GET")) {
        InputStream stream = status < 400 ? connection.getInputStream() : connection.getErrorStream();
        if (stream != null) {
          try (InputStream in = stream) {
            body = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
          }
        }
      }
      return new Answer(url, status, connection.getHeaderFields(), body);
    } finally {
      connection.disconnect();
    }
  }

  /**
   * An answer.
   *
   * @param uri what was asked for
   * @param status the status
   * @param headers the headers as {@link HttpURLConnection#getHeaderFields()} gives them (names in
   *     the server's case; the status line under {@code null})
   * @param body the body read, or empty
   */
  private record Answer(URI uri, int status, Map<String, List<String>> headers, String body) {

    /** The first value of a header, its name in any case. */
    Optional<String> header(String name) {
      return headers.entrySet().stream()
          .filter(entry -> entry.getKey() != null && entry.getKey().equalsIgnoreCase(name))
          .flatMap(entry -> entry.getValue().stream())
          .findFirst();
    }
  }

  /**
   * The quota in a {@code HEAD} answer. Docker Hub sends the headers with 200 (and 429 when the
   * quota is spent); a mirror or test registry may lack the preview repository and answer 404,
   * whose headers still describe the account.
   */
  private static Optional<PullQuota> read(Answer response) throws IOException {
    int status = response.status();
    if (status != 200 && status != 404 && status != 429) {
      throw new IOException("HTTP " + status + " from HEAD " + response.uri());
    }
    try {
      return PullQuota.fromHeaders(response::header);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static String basic(RegistryCredential credential) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(
                (credential.username() + ":" + credential.secret())
                    .getBytes(StandardCharsets.UTF_8));
  }

  private static void requireSafe(URI url) throws IOException {
    if (!EndpointSafety.credentialsMayTravel(url)) {
      throw new IOException(
          "not sending a credential over plain HTTP to " + url.getAuthority()
              + "; only loopback addresses may be reached without TLS");
    }
  }
}
