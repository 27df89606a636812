package dev.fanout.internal.transport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted HTTP server on 127.0.0.1 (the JDK's {@link HttpServer}) that records every request
 * (method, path and query, headers, body length and hash) and answers what the test's script says.
 */
final class StubRegistry implements AutoCloseable {

  /**
   * A request as the stub saw it.
   *
   * @param method the method
   * @param target the raw path and query
   * @param headers the headers, names in lower case, first value
   * @param bodyLength how many body bytes arrived
   * @param bodySha256 their SHA-256, hex
   */
  record Seen(
      String method,
      String target,
      Map<String, String> headers,
      long bodyLength,
      String bodySha256) {

    Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name));
    }

    String path() {
      int query = target.indexOf('?');
      return query < 0 ? target : target.substring(0, query);
    }
  }

  /**
   * An answer.
   *
   * @param status the status
   * @param headers the headers
   * @param body the body
   */
  record Answer(int status, Map<String, String> headers, String body) {

    static Answer of(int status) {
      return new Answer(status, Map.of(), "");
    }

    static Answer of(int status, Map<String, String> headers) {
      return new Answer(status, headers, "");
    }
  }

  /** The script: the answer to a request, given every request so far. */
  @FunctionalInterface
  interface Script {
    Answer answer(Seen request, List<Seen> before);
  }

  private final HttpServer server;
  private final Script script;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  StubRegistry(Script script) throws IOException {
    this.script = script;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  int port() {
    return server.getAddress().getPort();
  }

  List<Seen> requests() {
    return List.copyOf(seen);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      long length = 0;
      try (InputStream in = exchange.getRequestBody()) {
        byte[] buffer = new byte[64 * 1024];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
          sha256.update(buffer, 0, read);
          length += read;
        }
      }
      Map<String, String> headers = new HashMap<>();
      exchange
          .getRequestHeaders()
          .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
      Seen request =
          new Seen(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getRawPath()
                  + (exchange.getRequestURI().getRawQuery() == null
                      ? ""
                      : "?" + exchange.getRequestURI().getRawQuery()),
              Map.copyOf(headers),
              length,
              HexFormat.of().formatHex(sha256.digest()));
      List<Seen> before = List.copyOf(seen);
      seen.add(request);
      Answer answer = script.answer(request, before);
      answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      boolean noBody = body.length == 0 || request.method().equals("HEAD");
      exchange.sendResponseHeaders(answer.status(), noBody ? -1 : body.length);
      if (!noBody) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
