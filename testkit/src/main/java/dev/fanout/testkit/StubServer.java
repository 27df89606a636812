package dev.fanout.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A control-plane stub's HTTP server on a free port of 127.0.0.1: the JDK's {@link HttpServer}
 * with one handler, for token services and cloud APIs that tests play (Google's OAuth2 and
 * Artifact Registry API, ECR's API, a registry's token service). Requests are handled one at a
 * time, on the server's own thread.
 *
 * <pre>{@code
 * try (StubServer api = StubServer.start("/", exchange ->
 *     StubServer.send(exchange, 200, "application/json", "{}"))) {
 *   call(api.url());
 * }
 * }</pre>
 *
 * <p>Not for a registry's front: that is {@link FaultInjectingProxy}, which a TLS hello cannot
 * stall and which forwards bytes unchanged.
 */
public final class StubServer implements AutoCloseable {

  private final HttpServer server;

  private StubServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts a server that hands every request under {@code path} to {@code handler}.
   *
   * @param path the context path, e.g. {@code "/"} or {@code "/token"}
   * @param handler answers each request; the exchange is closed after it returns
   * @return the running server; close it when the test is done
   * @throws IOException if no port could be bound
   */
  public static StubServer start(String path, HttpHandler handler) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        path,
        exchange -> {
          try (exchange) {
            handler.handle(exchange);
          }
        });
    server.start();
    return new StubServer(server);
  }

  /**
   * The server's base URL.
   *
   * @return {@code http://127.0.0.1:PORT}, without a trailing slash
   */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Sends a whole response with a text body.
   *
   * @param exchange the request being answered
   * @param status the status code
   * @param contentType the {@code Content-Type}, e.g. {@code application/json}
   * @param body the body, sent as UTF-8
   * @throws IOException if the client went away
   */
  public static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Stops the server at once, dropping any exchange in progress. */
  @Override
  public void close() {
    server.stop(0);
  }
}
