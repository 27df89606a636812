package dev.fanout.internal.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("ParallelGzipOutputStream")
class ParallelGzipOutputStreamTest {

  /**
   * Several blocks and a short last one: text that compresses and random bytes, mixed in the first
   * blocks (deflated) and random alone in the last two (stored).
   */
  private static final int SIZE = 5 * ParallelGzipOutputStream.BLOCK_SIZE + 12_345;

  @TempDir Path folder;

  private static byte[] input(int size) {
    return input(size, 0);
  }

  /** Text and random bytes mixed, then {@code randomTail} random bytes alone. */
  private static byte[] input(int size, int randomTail) {
    byte[] input = new byte[size];
    Random random = new Random(18);
    String[] words = {"layer ", "registry ", "digest ", "manifest ", "blob ", "push "};
    for (int i = 0; i < size; ) {
      if ((i / 100_000) % 2 == 0 && i < size - randomTail) {
        byte[] word = words[random.nextInt(words.length)].getBytes();
        for (int j = 0; j < word.length && i < size; j++) {
          input[i++] = word[j];
        }
      } else {
        input[i++] = (byte) random.nextInt();
      }
    }
    return input;
  }

  /** Compresses in uneven writes, as a tar writer does. */
  private static byte[] compress(byte[] input, int threads) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ParallelGzipOutputStream gzip =
        new ParallelGzipOutputStream(out, DockerArchive.GZIP_LEVEL, threads)) {
      int offset = 0;
      for (int step = 1; offset < input.length; step = step * 3 % 70_001 + 1) {
        int length = Math.min(step, input.length - offset);
        gzip.write(input, offset, length);
        offset += length;
      }
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] compressed) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      return in.readAllBytes();
    }
  }

  @Test
  @DisplayName("writes the same bytes with 1, 2 and 8 compression threads")
  void sameBytesWhateverTheThreads() throws IOException {
    byte[] input = input(SIZE, 2 * ParallelGzipOutputStream.BLOCK_SIZE);
    byte[] one = compress(input, 1);
    assertArrayEquals(one, compress(input, 2));
    assertArrayEquals(one, compress(input, 8));
  }

  @Test
  @DisplayName("writes one gzip member that the JDK's reader decompresses to the input")
  void jdkReadsIt() throws IOException {
    byte[] input = input(SIZE, 2 * ParallelGzipOutputStream.BLOCK_SIZE);
    assertArrayEquals(input, gunzip(compress(input, 2)));
  }

  @Test
  @DisplayName("writes gzip that the gzip program decompresses to the input")
  void gzipProgramReadsIt() throws Exception {
    byte[] input = input(SIZE, 2 * ParallelGzipOutputStream.BLOCK_SIZE);
    Path compressed = Files.write(folder.resolve("layer.gz"), compress(input, 8));
    Path output = folder.resolve("layer");
    Process gzip =
        new ProcessBuilder("gzip", "-d", "-c", compressed.toString())
            .redirectOutput(output.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    assertEquals(true, gzip.waitFor(60, TimeUnit.SECONDS), "gzip -d did not finish");
    assertEquals(0, gzip.exitValue(), "gzip -d exit code");
    assertArrayEquals(input, Files.readAllBytes(output));
  }

  @Test
  @DisplayName("compresses an input of at most one block to the bytes of the plain single stream")
  void smallInputIsThePlainStream() throws IOException {
    byte[] input = input(ParallelGzipOutputStream.BLOCK_SIZE);
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    DeterministicGzip.compress(new ByteArrayInputStream(input), plain, DockerArchive.GZIP_LEVEL);
    assertArrayEquals(plain.toByteArray(), compress(input, 2));
  }

  @Test
  @DisplayName("stores blocks of evenly spread bytes: random input grows by less than 0.1 %")
  void storesRandomBlocks() throws IOException {
    byte[] random = new byte[4 * ParallelGzipOutputStream.BLOCK_SIZE];
    new Random(18).nextBytes(random);
    byte[] compressed = compress(random, 2);

    assertArrayEquals(random, gunzip(compressed));
    assertEquals(true, compressed.length < random.length * 1.001, compressed.length + " bytes");
    assertEquals(true, ParallelGzipOutputStream.evenlySpread(random, random.length));
  }

  @Test
  @DisplayName("deflates text and blocks too small to judge, however their bytes are spread")
  void deflatesText() {
    byte[] text = input(ParallelGzipOutputStream.BLOCK_SIZE);
    byte[] small = new byte[ParallelGzipOutputStream.MIN_EVENLY_SPREAD - 1];
    new Random(18).nextBytes(small);

    assertEquals(false, ParallelGzipOutputStream.evenlySpread(text, text.length));
    assertEquals(false, ParallelGzipOutputStream.evenlySpread(small, small.length));
  }

  @Test
  @DisplayName("compresses empty input to a valid empty gzip member")
  void empty() throws IOException {
    assertArrayEquals(new byte[0], gunzip(compress(new byte[0], 2)));
  }

  @Test
  @DisplayName("compresses compressible input, block by block, to a small fraction of it")
  void compresses() throws IOException {
    byte[] text = new byte[SIZE];
    byte[] word = "registry layer digest ".getBytes();
    for (int i = 0; i < text.length; i++) {
      text[i] = word[i % word.length];
    }
    byte[] compressed = compress(text, 2);
    assertEquals(true, compressed.length < text.length / 50, compressed.length + " bytes");
  }
}
