package dev.fanout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A registry on a loopback port that answers like a registry and says what an attacker would: it
 * asks for Basic credentials at {@code /v2/} (and accepts any), has no blob ({@code HEAD} gives
 * 404), and refuses everything else with an error whose reason phrase, headers and JSON body carry
 * the given text.
 *
 * <p>A raw socket rather than the JDK's HttpServer, which writes its own reason phrases. A TLS
 * hello is closed at once, as a plain-HTTP registry's front would.
 */
final class HostileRegistry implements AutoCloseable {

  /** The first byte of a TLS record carrying a handshake. */
  private static final int TLS_HANDSHAKE = 0x16;

  private final ServerSocket socket;
  private final int refusal;
  private final String reason;
  private final String header;
  private final String message;

  /**
   * Starts the registry.
   *
   * @param refusal the status that refuses a request, such as 400 or 500
   * @param reason the reason phrase, in ISO-8859-1 and without line breaks (which would end it)
   * @param header a value for a {@code Warning} and an {@code X-Registry-Note} header, same rules
   * @param message the error body's {@code message} and {@code detail}: any text, written as JSON
   *     escapes, so lone surrogates and line breaks survive into whoever parses it
   */
  HostileRegistry(int refusal, String reason, String header, String message) throws IOException {
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.refusal = refusal;
    this.reason = reason;
    this.header = header;
    this.message = message;
    Thread acceptor = new Thread(this::serve, "hostile-registry");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * The registry's address for an image reference.
   *
   * @return {@code 127.0.0.1:port}
   */
  String host() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket connection = socket.accept()) {
        answer(connection);
      } catch (IOException closedOrReset) {
        continue;
      }
    }
  }

  private void answer(Socket connection) throws IOException {
    InputStream in = connection.getInputStream();
    int first = in.read();
    if (first == TLS_HANDSHAKE || first < 0) {
      return;
    }
    String head = (char) first + readHead(in);
    String requestLine = head.substring(0, Math.max(0, head.indexOf('\r')));
    skipBody(in, head);
    OutputStream out = connection.getOutputStream();
    boolean authorized = head.toLowerCase(Locale.ROOT).contains("\r\nauthorization: basic ");
    if (requestLine.startsWith("GET /v2/ ") && authorized) {
      write(out, 200, "OK", "", "{}");
    } else if (requestLine.startsWith("GET /v2/ ")) {
      write(out, 401, "Unauthorized", "WWW-Authenticate: Basic realm=\"registry\"\r\n", "");
    } else if (requestLine.startsWith("HEAD ")) {
      write(out, 404, "Not Found", "", "");
    } else {
      String body =
          "{\"errors\":[{\"code\":\"DENIED\",\"message\":\""
              + jsonEscapes(message)
              + "\",\"detail\":\""
              + jsonEscapes(message)
              + "\"}]}";
      write(
          out,
          refusal,
          reason,
          "Warning: 299 - \"" + header + "\"\r\nX-Registry-Note: " + header + "\r\n",
          body);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int next = in.read();
      if (next < 0) {
        break;
      }
      head.write(next);
      matched = next == end[matched] ? matched + 1 : (next == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads a request body with a length, so that closing the connection does not reset it. */
  private static void skipBody(InputStream in, String head) throws IOException {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        in.readNBytes(Integer.parseInt(line.substring(line.indexOf(':') + 1).trim()));
      }
    }
  }

  private static void write(
      OutputStream out, int status, String reason, String headers, String body) throws IOException {
    byte[] content = body.getBytes(StandardCharsets.US_ASCII);
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + reason
            + "\r\n"
            + headers
            + "Docker-Distribution-API-Version: registry/2.0\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: "
            + content.length
            + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(content);
    out.flush();
  }

  /** Text as JSON string content in ASCII, every other character a {@code \\uXXXX} escape. */
  private static String jsonEscapes(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
