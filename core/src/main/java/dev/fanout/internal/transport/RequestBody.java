package dev.fanout.internal.transport;

import dev.fanout.internal.image.BlobContent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;

/**
 * What a request sends, with its length known in advance and a fresh publisher for every send: a
 * request is sent again after a 401 or a redirect, so its body must be replayable. Blob bytes are
 * streamed from their {@link BlobContent}, never held in memory.
 */
interface RequestBody {

  /** No body. */
  RequestBody EMPTY = bytes(new byte[0]);

  /**
   * The length in bytes, sent as {@code Content-Length}.
   *
   * @return the length
   */
  long length();

  /**
   * A publisher of the bytes from the start.
   *
   * @return a new publisher
   */
  BodyPublisher publisher();

  /**
   * Bytes in hand (a manifest).
   *
   * @param bytes the bytes; not copied, not changed afterwards
   * @return the body
   */
  static RequestBody bytes(byte[] bytes) {
    return new RequestBody() {
      @Override
      public long length() {
        return bytes.length;
      }

      @Override
      public BodyPublisher publisher() {
        return bytes.length == 0 ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(bytes);
      }
    };
  }

  /**
   * A region of a blob, streamed: the whole blob for a monolithic upload, one chunk of it for a
   * chunked one.
   *
   * @param content the blob's bytes
   * @param start the first byte
   * @param length how many bytes
   * @return the body
   */
  static RequestBody region(BlobContent content, long start, long length) {
    return new RequestBody() {
      @Override
      public long length() {
        return length;
      }

      @Override
      public BodyPublisher publisher() {
        if (length == 0) {
          return BodyPublishers.noBody();
        }
        return BodyPublishers.fromPublisher(
            BodyPublishers.ofInputStream(() -> open(content, start, length)), length);
      }
    };
  }

  private static InputStream open(BlobContent content, long start, long length) {
    try {
      InputStream in = content.open();
      try {
        in.skipNBytes(start);
        return new BoundedInputStream(in, length);
      } catch (IOException | RuntimeException e) {
        in.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the blob to upload", e);
    }
  }
}
