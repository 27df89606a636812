package dev.fanout.internal.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests on the run's one {@link HttpClient} and follows redirects by hand: the JDK's own
 * redirect handling would forward {@code Authorization} to whatever host a registry names, and blob
 * downloads are redirected to object storage that must never see the registry's token
 * (registry-protocols.md §1.5).
 */
final class HttpSender {

  /** The user agent registries see. */
  static final String USER_AGENT = "fanout";

  /** How many redirects one request follows before giving up; registries use one or two. */
  static final int MAX_REDIRECTS = 10;

  /**
   * The slowest upload rate a request's time limit allows for its body, on top of the fixed limit:
   * a 1 GiB layer may take up to about 17 minutes before it counts as stalled.
   */
  static final long SLOWEST_BYTES_PER_SECOND = 1024 * 1024;

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final Logger LOG = LoggerFactory.getLogger(HttpSender.class);

  private final HttpClient client;
  private final Duration requestTimeout;

  HttpSender(HttpClient client, Duration requestTimeout) {
    this.client = client;
    this.requestTimeout = requestTimeout;
  }

  /**
   * Sends a request and follows its redirects.
   *
   * @param request the request
   * @param authorization the {@code Authorization} value, sent while the request stays on the
   *     scheme, host and port it started on, and dropped for good once a redirect leaves them
   * @return the last response; the caller reads or closes its body
   * @throws IOException a connection failure, as the JDK reports it, or a redirect without a usable
   *     {@code Location}
   * @throws InterruptedException when interrupted
   */
  HttpResponse<InputStream> send(OutgoingRequest request, Optional<String> authorization)
      throws IOException, InterruptedException {
    String origin = origin(request.uri());
    Optional<String> auth = authorization;
    OutgoingRequest current = request;
    for (int hop = 0; ; hop++) {
      HttpResponse<InputStream> response =
          client.send(build(current, auth), HttpResponse.BodyHandlers.ofInputStream());
      LOG.debug("{} {} -> {}", current.method(), current.uri().getRawPath(), response.statusCode());
      Optional<String> location = response.headers().firstValue("location");
      if (!REDIRECTS.contains(response.statusCode()) || location.isEmpty()) {
        return response;
      }
      response.body().close();
      if (hop == MAX_REDIRECTS) {
        throw new RegistryResponseException(
            current.uri().getHost() + " redirected more than " + MAX_REDIRECTS + " times",
            read(current.method(), response, new byte[0]),
            false);
      }
      Optional<URI> resolved = resolve(current.uri(), location.get());
      if (resolved.isEmpty()) {
        throw new RegistryResponseException(
            current.uri().getHost() + " redirected to a Location that is not an http(s) URL",
            read(current.method(), response, new byte[0]),
            false);
      }
      URI target = resolved.get();
      if (!origin(target).equals(origin)) {
        auth = Optional.empty();
      }
      current = current.redirectedTo(target, response.statusCode() != 303);
    }
  }

  /**
   * Reads a response's body, at most {@link RegistryResponse#MAX_BODY} bytes, and closes it.
   *
   * @param method the request method
   * @param response the response
   * @return the response with its body in hand
   * @throws IOException when the body cannot be read
   */
  static RegistryResponse read(String method, HttpResponse<InputStream> response)
      throws IOException {
    try (InputStream body = response.body()) {
      return read(method, response, body.readNBytes(RegistryResponse.MAX_BODY));
    }
  }

  /**
   * Resolves a {@code Location} header against the URI of the request it answered: registries send
   * absolute and relative ones, and upload locations carry a query ({@code _state}) that must be
   * kept as it is.
   *
   * @param base the URI of the request answered
   * @param location the header's value
   * @return the absolute http(s) URI, or empty when the value is not one
   */
  static Optional<URI> resolve(URI base, String location) {
    try {
      URI target = base.resolve(location.trim());
      String scheme = Objects.requireNonNullElse(target.getScheme(), "").toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && target.getHost() != null) {
        return Optional.of(target);
      }
    } catch (IllegalArgumentException malformed) {
      LOG.debug("unusable Location from {}", base.getHost());
    }
    return Optional.empty();
  }

  /**
   * Scheme, host and port: what must stay the same for {@code Authorization} to travel.
   *
   * @param uri the URI
   * @return for example {@code https://ghcr.io:443}
   */
  static String origin(URI uri) {
    String scheme = Objects.requireNonNullElse(uri.getScheme(), "").toLowerCase(Locale.ROOT);
    int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("http") ? 80 : 443;
    return scheme
        + "://"
        + Objects.requireNonNullElse(uri.getHost(), "").toLowerCase(Locale.ROOT)
        + ":"
        + port;
  }

  private static RegistryResponse read(String method, HttpResponse<?> response, byte[] body) {
    return new RegistryResponse(
        method,
        response.uri(),
        response.statusCode(),
        RegistryResponse.firstValues(response.headers()),
        body);
  }

  private HttpRequest build(OutgoingRequest request, Optional<String> authorization) {
    long length = request.body().length();
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(request.uri())
            .method(request.method(), request.body().publisher())
            .timeout(requestTimeout.plusSeconds(length / SLOWEST_BYTES_PER_SECOND))
            .header("User-Agent", USER_AGENT);
    if ("http".equalsIgnoreCase(request.uri().getScheme())) {
      // HTTP/2 without TLS means an h2c upgrade, which confuses some registries and proxies.
      builder.version(HttpClient.Version.HTTP_1_1);
    }
    request.headers().forEach(builder::header);
    authorization.ifPresent(value -> builder.header("Authorization", value));
    return builder.build();
  }
}
