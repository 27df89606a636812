package dev.fanout.internal.image;

import java.io.IOException;
import java.io.InputStream;

/**
 * A plain file inside an archive or layout, found by a name that stays inside it.
 *
 * @param name its name inside the archive, normalized
 * @param size its length in bytes, as the archive states it
 * @param content its bytes, readable as often as needed
 */
record ArchiveFile(String name, long size, BlobContent content) {

  /**
   * Reads a small file whole: an index, a manifest, a config.
   *
   * @param limit the most bytes accepted; a larger file is refused before it is read
   * @return the bytes
   * @throws IOException when it cannot be read or is larger than the limit
   */
  byte[] readSmall(long limit) throws IOException {
    if (size > limit) {
      throw new ArchiveProblem(
          ArchiveNames.quote(name)
              + " holds "
              + size
              + " bytes, more than the "
              + limit
              + " accepted for it");
    }
    try (InputStream in = content.open()) {
      byte[] bytes = in.readNBytes((int) size);
      if (bytes.length != size || in.read() != -1) {
        throw new ArchiveProblem(ArchiveNames.quote(name) + " changed while it was read");
      }
      return bytes;
    }
  }
}
