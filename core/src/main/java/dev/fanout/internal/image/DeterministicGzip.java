package dev.fanout.internal.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Gzip whose output depends only on the input and the level: the header carries no time, no file
 * name and a fixed OS byte, so the same layer gives the same bytes, hence the same digest, on every
 * run. (The deflate stream itself comes from the JDK's zlib; the same zlib gives the same output.)
 */
final class DeterministicGzip {

  /**
   * Magic, deflate, no flags (so no name or comment), modification time 0, no extra flags, OS 255
   * ("unknown", RFC 1952), so the bytes do not depend on the machine.
   */
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  private DeterministicGzip() {}

  /**
   * Compresses a stream into another; neither is closed.
   *
   * @param in the bytes to compress
   * @param out where the gzip member goes
   * @param level the deflate level, 1 to 9
   * @throws IOException when either stream fails
   */
  static void compress(InputStream in, OutputStream out, int level) throws IOException {
    Deflater deflater = new Deflater(level, true);
    CRC32 crc = new CRC32();
    byte[] input = new byte[ContentHash.BUFFER];
    byte[] output = new byte[ContentHash.BUFFER];
    try {
      out.write(HEADER);
      for (int read = in.read(input); read != -1; read = in.read(input)) {
        crc.update(input, 0, read);
        deflater.setInput(input, 0, read);
        while (!deflater.needsInput()) {
          out.write(output, 0, deflater.deflate(output));
        }
      }
      deflater.finish();
      while (!deflater.finished()) {
        out.write(output, 0, deflater.deflate(output));
      }
      writeLittleEndian(out, crc.getValue());
      writeLittleEndian(out, deflater.getBytesRead());
    } finally {
      deflater.end();
    }
  }

  /** The gzip trailer's two fields: 32 bits, least significant byte first (ISIZE is mod 2^32). */
  private static void writeLittleEndian(OutputStream out, long value) throws IOException {
    for (int i = 0; i < 4; i++) {
      out.write((int) (value >>> (8 * i)) & 0xff);
    }
  }
}
