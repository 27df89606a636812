package dev.fanout.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback server that gives every HTTP request the same answer, so a test can see the exception
 * the transport throws for it. A raw socket rather than the JDK's HttpServer, so that the answer is
 * exactly the bytes written here; a TLS hello is closed at once, as a plain-HTTP registry's front
 * would.
 */
final class FixedAnswerServer implements AutoCloseable {

  /** The first byte of a TLS record carrying a handshake. */
  private static final int TLS_HANDSHAKE = 0x16;

  private final ServerSocket socket;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  FixedAnswerServer(int status, Map<String, String> headers, String body) throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " Answer\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("Content-Type: application/json\r\n")
        .append("Content-Length: ")
        .append(content.length)
        .append("\r\nConnection: close\r\n\r\n");
    byte[] answer = head.toString().getBytes(StandardCharsets.US_ASCII);
    Thread acceptor =
        new Thread(
            () -> {
              while (!socket.isClosed()) {
                try (Socket connection = socket.accept()) {
                  answer(connection, answer, content, requests);
                } catch (IOException closedOrReset) {
                  continue;
                }
              }
            },
            "fixed-answer-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String host() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  /**
   * The plain-HTTP requests answered so far: each request line, then its header names.
   *
   * @return e.g. {@code "GET /v2/ HTTP/1.1 [Host, User-Agent]"}
   */
  List<String> requests() {
    return List.copyOf(requests);
  }

  private static void answer(Socket connection, byte[] head, byte[] content, List<String> requests)
      throws IOException {
    InputStream in = connection.getInputStream();
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
    int first = reader.read();
    if (first == TLS_HANDSHAKE || first < 0) {
      return;
    }
    String requestLine = (char) first + reader.readLine();
    List<String> headerNames = new ArrayList<>();
    String line = reader.readLine();
    while (line != null && !line.isEmpty()) {
      headerNames.add(line.substring(0, Math.max(0, line.indexOf(':'))));
      line = reader.readLine();
    }
    requests.add(requestLine + " " + headerNames);
    OutputStream out = connection.getOutputStream();
    out.write(head);
    if (!requestLine.startsWith("HEAD ")) {
      out.write(content);
    }
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
