package dev.fanout.testkit;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * How the end of an HTTP/1.1 message body is found (RFC 9112 §6.3), and a copy of that body from
 * one stream to another that keeps its framing: chunked bodies are copied chunk by chunk, trailers
 * included.
 */
final class MessageBody {

  private enum Framing {
    NONE,
    FIXED_LENGTH,
    CHUNKED,
    UNTIL_CLOSE
  }

  private static final MessageBody NONE = new MessageBody(Framing.NONE, 0);

  private final Framing framing;
  private final long length;

  private MessageBody(Framing framing, long length) {
    this.framing = framing;
    this.length = length;
  }

  /** The body that follows a request head: chunked, of a {@code Content-Length}, or none. */
  static MessageBody ofRequest(HttpHead request) throws ProtocolException {
    if (request.hasToken("Transfer-Encoding", "chunked")) {
      return new MessageBody(Framing.CHUNKED, 0);
    }
    return request.header("Content-Length").isPresent() ? fixedLength(request) : NONE;
  }

  /** The body that follows a response head, given the method of the request it answers. */
  static MessageBody ofResponse(HttpHead response, String requestMethod) throws ProtocolException {
    int status = response.status();
    if (requestMethod.equals("HEAD") || status < 200 || status == 204 || status == 304) {
      return NONE;
    }
    if (response.hasToken("Transfer-Encoding", "chunked")) {
      return new MessageBody(Framing.CHUNKED, 0);
    }
    return response.header("Content-Length").isPresent()
        ? fixedLength(response)
        : new MessageBody(Framing.UNTIL_CLOSE, 0);
  }

  /**
   * The body's length as declared before it is sent.
   *
   * @return 0 when there is no body, the {@code Content-Length} when there is one, empty when the
   *     length is known only once the body has ended (chunked, or until the connection closes)
   */
  OptionalLong declaredLength() {
    return switch (framing) {
      case NONE -> OptionalLong.of(0);
      case FIXED_LENGTH -> OptionalLong.of(length);
      case CHUNKED, UNTIL_CLOSE -> OptionalLong.empty();
    };
  }

  /**
   * Whether the body ends only when the sender closes the connection, so the connection cannot be
   * reused.
   */
  boolean endsWithConnection() {
    return framing == Framing.UNTIL_CLOSE;
  }

  /**
   * Copies the body from {@code in} to {@code out}.
   *
   * @return false when {@code in} ended before the body did
   */
  boolean copy(InputStream in, OutputStream out) throws IOException {
    return switch (framing) {
      case NONE -> true;
      case FIXED_LENGTH -> copyBytes(in, out, length) == length;
      case CHUNKED -> copyChunks(in, out);
      case UNTIL_CLOSE -> {
        in.transferTo(out);
        yield true;
      }
    };
  }

  private static MessageBody fixedLength(HttpHead head) throws ProtocolException {
    String value = head.header("Content-Length").orElseThrow();
    try {
      long length = Long.parseLong(value);
      if (length < 0) {
        throw new ProtocolException("negative Content-Length: " + value);
      }
      return new MessageBody(Framing.FIXED_LENGTH, length);
    } catch (NumberFormatException e) {
      throw new ProtocolException("bad Content-Length: " + value);
    }
  }

  private static boolean copyChunks(InputStream in, OutputStream out) throws IOException {
    try {
      for (long size = chunkSize(copyLine(in, out));
          size > 0;
          size = chunkSize(copyLine(in, out))) {
        if (copyBytes(in, out, size) < size) {
          return false;
        }
        if (!copyLine(in, out).isEmpty()) {
          throw new ProtocolException("chunk longer than its declared size");
        }
      }
      String trailerField;
      do {
        trailerField = copyLine(in, out);
      } while (!trailerField.isEmpty());
      return true;
    } catch (EOFException endedInsideALine) {
      return false;
    }
  }

  private static long copyBytes(InputStream in, OutputStream out, long count) throws IOException {
    byte[] buffer = new byte[8192];
    long copied = 0;
    while (copied < count) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, count - copied));
      if (read == -1) {
        break;
      }
      out.write(buffer, 0, read);
      copied += read;
    }
    return copied;
  }

  private static String copyLine(InputStream in, OutputStream out) throws IOException {
    String line = HttpHead.readLine(in);
    out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    return line;
  }

  private static long chunkSize(String sizeLine) throws ProtocolException {
    int extension = sizeLine.indexOf(';');
    String hex = (extension == -1 ? sizeLine : sizeLine.substring(0, extension)).trim();
    try {
      return Long.parseLong(hex, 16);
    } catch (NumberFormatException e) {
      throw new ProtocolException("bad chunk size: " + sizeLine);
    }
  }
}
