package dev.fanout.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The start line and header fields of one HTTP/1.1 request or response, kept exactly as received so
 * that the proxy forwards them unchanged (the {@code Host} header included: the registry builds its
 * absolute upload {@code Location} URLs from it, so they keep pointing at the proxy).
 */
final class HttpHead {

  private static final int MAX_LINE_BYTES = 16 * 1024;
  private static final int MAX_FIELDS = 200;

  private final String startLine;
  private final List<String> fields;

  private HttpHead(String startLine, List<String> fields) {
    this.startLine = startLine;
    this.fields = List.copyOf(fields);
  }

  /**
   * Reads a head up to and including its empty line.
   *
   * @return empty when the stream ends cleanly before the first byte (the peer closed an idle
   *     connection)
   * @throws ProtocolException when the bytes are not HTTP/1.1, for example a TLS ClientHello
   */
  static Optional<HttpHead> read(InputStream in) throws IOException {
    int first = in.read();
    if (first == -1) {
      return Optional.empty();
    }
    if (first < 'A' || first > 'Z') {
      throw new ProtocolException("not an HTTP/1.1 message");
    }
    String startLine = (char) first + readLine(in);
    List<String> fields = new ArrayList<>();
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      if (fields.size() == MAX_FIELDS) {
        throw new ProtocolException("more than " + MAX_FIELDS + " header fields");
      }
      fields.add(line);
    }
    return Optional.of(new HttpHead(startLine, fields));
  }

  /**
   * Reads one line ended by LF (an optional CR before it is dropped), as ISO-8859-1.
   *
   * @throws EOFException when the stream ends before the LF
   */
  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b == -1) {
        throw new EOFException("stream ended inside a line");
      }
      if (line.size() == MAX_LINE_BYTES) {
        throw new ProtocolException("line longer than " + MAX_LINE_BYTES + " bytes");
      }
      line.write(b);
    }
    String text = line.toString(StandardCharsets.ISO_8859_1);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  /** The request method, for a request head. */
  String method() {
    return startLinePart(0);
  }

  /** The request target without its query, for a request head. */
  String path() {
    String target = startLinePart(1);
    int query = target.indexOf('?');
    return query == -1 ? target : target.substring(0, query);
  }

  /** The status code, for a response head. */
  int status() throws ProtocolException {
    try {
      return Integer.parseInt(startLinePart(1));
    } catch (NumberFormatException e) {
      throw new ProtocolException("no status code in: " + startLine);
    }
  }

  /** The value of the first field with this name (case-insensitive), trimmed. */
  Optional<String> header(String name) {
    return fields.stream()
        .filter(field -> isNamed(field, name))
        .map(field -> field.substring(field.indexOf(':') + 1).trim())
        .findFirst();
  }

  /**
   * Whether a comma-separated field such as {@code Connection} or {@code Transfer-Encoding} lists
   * this token.
   */
  boolean hasToken(String name, String token) {
    return fields.stream()
        .filter(field -> isNamed(field, name))
        .flatMap(field -> Arrays.stream(field.substring(field.indexOf(':') + 1).split(",")))
        .anyMatch(value -> value.trim().equalsIgnoreCase(token));
  }

  /** This head without the fields of that name. */
  HttpHead without(String name) {
    return new HttpHead(startLine, fields.stream().filter(field -> !isNamed(field, name)).toList());
  }

  /** This head with these fields, each replacing the fields of its name (case-insensitive). */
  HttpHead with(Map<String, String> replacements) {
    if (replacements.isEmpty()) {
      return this;
    }
    List<String> kept =
        new ArrayList<>(
            fields.stream()
                .filter(field -> replacements.keySet().stream().noneMatch(n -> isNamed(field, n)))
                .toList());
    replacements.forEach((name, value) -> kept.add(name + ": " + value));
    return new HttpHead(startLine, kept);
  }

  /** Writes the head, CRLF-terminated, ending with the empty line. */
  void writeTo(OutputStream out) throws IOException {
    StringBuilder head = new StringBuilder(startLine).append("\r\n");
    fields.forEach(field -> head.append(field).append("\r\n"));
    out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  private String startLinePart(int index) {
    String[] parts = startLine.split(" ", 3);
    return index < parts.length ? parts[index] : "";
  }

  private static boolean isNamed(String field, String name) {
    int colon = field.indexOf(':');
    return colon == name.length() && field.regionMatches(true, 0, name, 0, colon);
  }
}
