package dev.fanout.internal.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a blob's bytes are. The transport opens it once per upload and again when a request is
 * retried, so every implementation must give the same bytes each time it is opened (a file, a
 * region of an archive), never a one-shot stream.
 */
@FunctionalInterface
public interface BlobContent {

  /**
   * Opens the bytes from the start.
   *
   * @return a fresh stream; the caller closes it
   * @throws IOException when the bytes cannot be read
   */
  InputStream open() throws IOException;

  /**
   * The whole of a file.
   *
   * @param file the file; it must not change while the run lasts
   * @return the content
   */
  static BlobContent ofFile(Path file) {
    return () -> Files.newInputStream(file);
  }
}
