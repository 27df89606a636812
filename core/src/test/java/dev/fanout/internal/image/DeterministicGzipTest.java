package dev.fanout.internal.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("DeterministicGzip")
class DeterministicGzipTest {

  private static byte[] compress(byte[] input) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DeterministicGzip.compress(new ByteArrayInputStream(input), out, DockerArchive.GZIP_LEVEL);
    return out.toByteArray();
  }

  private static byte[] input() {
    byte[] input = new byte[300_000];
    Random random = new Random(7);
    for (int i = 0; i < input.length; i++) {
      input[i] = (byte) (i % 97 < 50 ? 'a' + random.nextInt(3) : random.nextInt());
    }
    return input;
  }

  @Test
  @DisplayName("writes gzip that the JDK's reader decompresses to the input")
  void roundTrips() throws IOException {
    byte[] input = input();
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compress(input)))) {
      assertArrayEquals(input, in.readAllBytes());
    }
  }

  @Test
  @DisplayName("writes a header with time 0, no name and OS 255, and the same bytes every time")
  void isDeterministic() throws IOException {
    byte[] first = compress(input());
    assertArrayEquals(
        new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff}, Arrays.copyOf(first, 10));
    assertArrayEquals(first, compress(input()));
  }

  @Test
  @DisplayName("compresses empty input to a valid empty gzip member")
  void compressesEmpty() throws IOException {
    try (GZIPInputStream in =
        new GZIPInputStream(new ByteArrayInputStream(compress(new byte[0])))) {
      assertArrayEquals(new byte[0], in.readAllBytes());
    }
  }
}
