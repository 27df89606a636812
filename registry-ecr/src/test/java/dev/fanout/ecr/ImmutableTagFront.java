package dev.fanout.ecr;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A front for a real local registry that behaves as ECR does for a repository with immutable tags
 * whose tag already exists: a manifest upload to that tag is answered with 400 {@code TAG_INVALID}
 * and ECR's own message. Every other request is forwarded to the registry, with {@code
 * X-Forwarded-Host} so that the registry's upload URLs point back at the front.
 *
 * <p>Jib tries HTTPS first. The registry answers a TLS hello at once with an HTTP error, but the
 * JDK's HTTP server waits for a request line that never comes, so a small relay in front of it
 * closes connections that open with a TLS record and lets Jib fall back to HTTP straight away.
 */
final class ImmutableTagFront implements AutoCloseable {

  /** Headers that the JDK client sets itself and refuses to be given. */
  private static final Set<String> NOT_FORWARDED =
      Set.of("host", "connection", "content-length", "transfer-encoding", "expect", "upgrade");

  /** Headers the JDK server writes itself. */
  private static final Set<String> NOT_RETURNED =
      Set.of("content-length", "transfer-encoding", "connection", "date");

  private final HttpServer server;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String upstream;
  private final String manifestPath;
  private final String body;
  private final AtomicInteger rejected = new AtomicInteger();
  private final ServerSocket relay;

  /** The first byte of a TLS handshake record. */
  private static final int TLS_HANDSHAKE = 0x16;

  ImmutableTagFront(String upstreamHost, String repository, String tag) throws IOException {
    this.upstream = upstreamHost;
    this.manifestPath = "/v2/" + repository + "/manifests/" + tag;
    this.body =
        "{\"errors\":[{\"code\":\"TAG_INVALID\",\"message\":\"The image tag '"
            + tag
            + "' already exists in the '"
            + repository
            + "' repository and cannot be overwritten because the repository is immutable.\"}]}";
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
    this.relay = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::relayConnections, "immutable-tag-front");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Where the front listens, as {@code host:port}. */
  String host() {
    return "127.0.0.1:" + relay.getLocalPort();
  }

  /** How many manifest uploads were refused. */
  int rejected() {
    return rejected.get();
  }

  @Override
  public void close() throws IOException {
    relay.close();
    server.stop(0);
  }

  private void relayConnections() {
    while (!relay.isClosed()) {
      try {
        Socket client = relay.accept();
        InputStream in = client.getInputStream();
        int first = in.read();
        if (first < 0 || first == TLS_HANDSHAKE) {
          client.close();
          continue;
        }
        Socket inner = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort());
        inner.getOutputStream().write(first);
        pump(in, inner.getOutputStream(), inner);
        pump(inner.getInputStream(), client.getOutputStream(), client);
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void pump(InputStream from, OutputStream to, Socket closeWhenDone) {
    Thread pump =
        new Thread(
            () -> {
              try (closeWhenDone) {
                from.transferTo(to);
              } catch (IOException e) {
                // the other side closed; closing this one ends the exchange
              }
            },
            "immutable-tag-front-pump");
    pump.setDaemon(true);
    pump.start();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      byte[] request = exchange.getRequestBody().readAllBytes();
      if (method.equals("PUT") && exchange.getRequestURI().getPath().equals(manifestPath)) {
        rejected.incrementAndGet();
        byte[] answer = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(400, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
        return;
      }
      HttpRequest.Builder forward =
          HttpRequest.newBuilder(URI.create("http://" + upstream + exchange.getRequestURI()))
              .method(
                  method,
                  request.length == 0
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(request))
              .header("X-Forwarded-Host", host())
              .header("X-Forwarded-Proto", "http");
      for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
        if (!NOT_FORWARDED.contains(header.getKey().toLowerCase())) {
          header.getValue().forEach(value -> forward.header(header.getKey(), value));
        }
      }
      HttpResponse<byte[]> response;
      try {
        response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      response
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!NOT_RETURNED.contains(name.toLowerCase())) {
                  exchange.getResponseHeaders().put(name, values);
                }
              });
      byte[] answer = response.body();
      if (method.equals("HEAD")) {
        response
            .headers()
            .firstValue("Content-Length")
            .ifPresent(length -> exchange.getResponseHeaders().set("Content-Length", length));
        exchange.sendResponseHeaders(response.statusCode(), -1);
        return;
      }
      exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    }
  }
}
