package dev.fanout.internal.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A run of bytes inside a file, such as one entry's data inside a tar: each open reads just that
 * region with positional reads, so many regions of one file can be read at once.
 *
 * @param file the file; it must not change while the run lasts
 * @param offset where the region starts
 * @param size its length
 */
record FileRegion(Path file, long offset, long size) implements BlobContent {

  @Override
  public InputStream open() throws IOException {
    return new RegionStream(FileChannel.open(file, StandardOpenOption.READ), offset, size);
  }

  /** Reads the region, then reports its end; a file shorter than the region is an error. */
  private static final class RegionStream extends InputStream {

    private final FileChannel channel;
    private long position;
    private final long end;

    RegionStream(FileChannel channel, long offset, long size) {
      this.channel = channel;
      this.position = offset;
      this.end = offset + size;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int from, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (position >= end) {
        return -1;
      }
      int wanted = (int) Math.min(length, end - position);
      int read = channel.read(ByteBuffer.wrap(buffer, from, wanted), position);
      if (read < 0) {
        throw new IOException("the file ended " + (end - position) + " bytes before the entry");
      }
      position += read;
      return read;
    }

    @Override
    public long skip(long count) {
      long skipped = Math.max(0, Math.min(count, end - position));
      position += skipped;
      return skipped;
    }

    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, end - position);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
