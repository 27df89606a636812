package dev.fanout.dockerhub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A proxy on a free port of 127.0.0.1 that makes a local registry answer like Docker Hub: it adds
 * Docker Hub's rate-limit headers to every manifest answer ({@code GET} and {@code HEAD}), and can
 * answer the first manifest uploads with the 429 Docker Hub sends once the pull limit is spent. All
 * else is forwarded (JDK {@link HttpServer} in, {@link HttpClient} out), with {@code Location}
 * headers pointed back at the proxy, and every request is logged.
 *
 * <p>Jib tries HTTPS before plain HTTP. A JDK {@code HttpServer} would wait for a request line in
 * the TLS hello until Jib's read timeout, so a small relay in front answers a TLS hello with a 400
 * at once, as the Go registry does, and passes everything else to the {@code HttpServer}.
 *
 * <p>The testkit's {@code FaultInjectingProxy} injects faults but cannot add headers, which is the
 * point here.
 */
final class DockerHubFront implements AutoCloseable {

  /** The body Docker Hub sends with a pull-limit 429 (quoted in registry-protocols.md §2). */
  static final String PULL_LIMIT_BODY =
      "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"You have reached your pull rate"
          + " limit. You may increase the limit by authenticating and upgrading:"
          + " https://www.docker.com/increase-rate-limit\"}]}";

  /** Request headers the JDK client sets itself or refuses, and hop-by-hop headers. */
  private static final Set<String> NOT_FORWARDED =
      Set.of(
          "connection", "content-length", "expect", "host", "upgrade", "keep-alive",
          "proxy-connection", "te", "trailer", "transfer-encoding");

  /**
   * One request the proxy saw.
   *
   * @param method the method
   * @param path the path and query
   * @param status the status answered
   */
  record Request(String method, String path, int status) {

    /** Whether it is a request for a manifest. */
    boolean isManifest() {
      return path.contains("/manifests/");
    }
  }

  /** What the relay answers a TLS hello with, so that Jib falls back to plain HTTP at once. */
  private static final byte[] NOT_TLS =
      "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);

  /** The first byte of a TLS record carrying a handshake. */
  private static final int TLS_HANDSHAKE = 0x16;

  private final HttpServer server;
  private final ServerSocket relay;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final String upstream;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, String> rateLimitHeaders;
  private final AtomicInteger manifestUploadsToRefuse;
  private final Optional<Duration> retryAfter;

  private DockerHubFront(
      String upstream,
      Map<String, String> rateLimitHeaders,
      int manifestUploadsToRefuse,
      Optional<Duration> retryAfter)
      throws IOException {
    this.upstream = upstream;
    this.rateLimitHeaders = Map.copyOf(rateLimitHeaders);
    this.manifestUploadsToRefuse = new AtomicInteger(manifestUploadsToRefuse);
    this.retryAfter = retryAfter;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::forward);
    server.start();
    this.relay = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  /**
   * A front that adds Docker Hub's headers for a quota, such as {@code 100;w=21600} with {@code
   * 76;w=21600}.
   *
   * @param upstream the registry, {@code 127.0.0.1:PORT}
   * @param limit the {@code ratelimit-limit} value
   * @param remaining the {@code ratelimit-remaining} value
   * @param source the {@code docker-ratelimit-source} value
   */
  static DockerHubFront withQuota(String upstream, String limit, String remaining, String source)
      throws IOException {
    return new DockerHubFront(upstream, headers(limit, remaining, source), 0, Optional.empty());
  }

  /**
   * A front whose quota is spent: the first {@code times} manifest uploads get Docker Hub's
   * pull-limit 429 with {@code ratelimit-remaining: 0}, and {@code Retry-After} when given.
   *
   * @param upstream the registry, {@code 127.0.0.1:PORT}
   * @param times how many manifest uploads are refused
   * @param retryAfter the reset to announce, if any
   */
  static DockerHubFront withSpentQuota(String upstream, int times, Optional<Duration> retryAfter)
      throws IOException {
    return new DockerHubFront(
        upstream, headers("100;w=21600", "0;w=21600", "192.0.2.1"), times, retryAfter);
  }

  private static Map<String, String> headers(String limit, String remaining, String source) {
    return Map.of(
        PullQuota.LIMIT_HEADER, limit,
        PullQuota.REMAINING_HEADER, remaining,
        PullQuota.SOURCE_HEADER, source);
  }

  /** Where the proxy listens: {@code 127.0.0.1:PORT}. */
  String host() {
    return "127.0.0.1:" + relay.getLocalPort();
  }

  /** The endpoint override that points Docker Hub targets at the proxy. */
  String url() {
    return "http://" + host();
  }

  /** The requests so far that match. */
  List<Request> requests(Predicate<Request> matching) {
    return requests.stream().filter(matching).toList();
  }

  @Override
  public void close() {
    try {
      relay.close();
    } catch (IOException e) {
      // Closing the listening socket only stops new connections; nothing is lost.
    }
    sockets.forEach(DockerHubFront::closeQuietly);
    server.stop(0);
    threads.shutdownNow();
  }

  private void accept() {
    while (!relay.isClosed()) {
      try {
        Socket client = relay.accept();
        sockets.add(client);
        threads.execute(() -> relay(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void relay(Socket client) {
    try (client) {
      PushbackInputStream in = new PushbackInputStream(client.getInputStream(), 1);
      int first = in.read();
      if (first < 0) {
        return;
      }
      if (first == TLS_HANDSHAKE) {
        client.getOutputStream().write(NOT_TLS);
        return;
      }
      in.unread(first);
      int port = server.getAddress().getPort();
      try (Socket inner = new Socket(InetAddress.getLoopbackAddress(), port)) {
        sockets.add(inner);
        threads.execute(() -> pump(inner, client));
        in.transferTo(inner.getOutputStream());
        inner.shutdownOutput();
        sockets.remove(inner);
      }
    } catch (IOException e) {
      // The client or the test went away; the connection is over either way.
    } finally {
      sockets.remove(client);
    }
  }

  private static void pump(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Already broken; nothing more to release.
    }
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      String path = exchange.getRequestURI().toString();
      boolean manifest = path.contains("/manifests/");
      if (method.equals("PUT") && manifest && manifestUploadsToRefuse.getAndDecrement() > 0) {
        exchange.getRequestBody().readAllBytes();
        // Recorded before the answer goes out: a test reads the record as soon as its push ends.
        requests.add(new Request(method, path, 429));
        refuse(exchange);
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://" + upstream + path))
              .method(
                  method,
                  body.length == 0
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      exchange
          .getRequestHeaders()
          .forEach(
              (name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                  values.forEach(value -> request.header(name, value));
                }
              });
      HttpResponse<byte[]> response;
      try {
        response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while forwarding", e);
      }
      response
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.equals("location")) {
                  values.forEach(
                      value ->
                          exchange.getResponseHeaders().add(name, value.replace(upstream, host())));
                } else if (!lower.equals("transfer-encoding") && !lower.equals("connection")
                    && !lower.equals("date")
                    && (method.equals("HEAD") || !lower.equals("content-length"))) {
                  values.forEach(value -> exchange.getResponseHeaders().add(name, value));
                }
              });
      if (manifest && (method.equals("GET") || method.equals("HEAD"))) {
        rateLimitHeaders.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
      }
      requests.add(new Request(method, path, response.statusCode()));
      byte[] answer = response.body();
      boolean noBody = method.equals("HEAD") || answer.length == 0;
      exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : answer.length);
      if (!noBody) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    }
  }

  private void refuse(HttpExchange exchange) throws IOException {
    byte[] body = PULL_LIMIT_BODY.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    rateLimitHeaders.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    retryAfter.ifPresent(
        wait -> exchange.getResponseHeaders().set("Retry-After", Long.toString(wait.toSeconds())));
    exchange.sendResponseHeaders(429, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
