package dev.fanout.internal.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

  /**
   * A seeded mixture of what layers hold, in runs of uneven lengths that cross block boundaries:
   * text, random bytes, zeros, and bytes skewed enough that they are deflated yet hardly shrink.
   */
  private static byte[] mixture(int size, long seed) {
    byte[] input = new byte[size];
    Random random = new Random(seed);
    String[] words = {"FROM ", "scratch\n", "layer ", "sha256:", "{\"mediaType\": ", "0123456789"};
    int i = 0;
    while (i < size) {
      int end = Math.min(size, i + 1 + random.nextInt(700_000));
      int kind = random.nextInt(4);
      while (i < end) {
        switch (kind) {
          case 0 -> {
            byte[] word = words[random.nextInt(words.length)].getBytes();
            for (int j = 0; j < word.length && i < end; j++) {
              input[i++] = word[j];
            }
          }
          case 1 -> input[i++] = (byte) random.nextInt();
          case 2 -> input[i++] = 0;
          default -> input[i++] = (byte) (random.nextInt(256) & random.nextInt(256));
        }
      }
    }
    return input;
  }

  /** Random bytes alone: every block of at least {@code MIN_EVENLY_SPREAD} bytes is stored. */
  private static byte[] random(int size, long seed) {
    byte[] input = new byte[size];
    new Random(seed).nextBytes(input);
    return input;
  }

  /**
   * The inputs whose bytes are pinned. "random stored" stores every block, the last one too (it is
   * long enough to judge); the last block of "random, short last block" is too short to judge, so
   * deflated.
   */
  private static byte[] pinnedInput(String name) {
    int block = ParallelGzipOutputStream.BLOCK_SIZE;
    return switch (name) {
      case "mixture" -> mixture(9 * block + 4_321, 1);
      case "mixture, 1-byte last" -> mixture(3 * block + 1, 2);
      case "one block exactly" -> mixture(block, 3);
      case "under one block" -> mixture(100_000, 4);
      case "random stored" -> random(2 * block + 100_000, 5);
      case "random, short last block" -> random(block + 1_000, 6);
      case "empty" -> new byte[0];
      default -> throw new IllegalArgumentException(name);
    };
  }

  /**
   * These digests pin the format: they are the bytes that every layer compressed by this stream
   * carries, and so the layer digests users and caches hold. They must never change without
   * changing every cached digest (and {@code FileLayersBuild}'s cache key with them).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "mixture, 81a8145242108cb4f96d10f3873ac28d25ee48185d4df33cc04e66d3cd0114d4",
    "'mixture, 1-byte last', 5dcb29a0777a8d5d510878e18fdac8cbcbc119c2bf13de6373ad8b8388975aec",
    "one block exactly, e3c3be563c17c24fb5bfdfefbcbe3882cc985fa4161654a534287d9baafe2a73",
    "under one block, 6bb3e58fd5e408e8c5c9cc4e0f4d88683b927c1ff20fb3edaac6e0f23ff63de7",
    "random stored, 92a97020a5ac60a156050c47198343b5a1b0f22fdf518860a9a55cda8740e797",
    "'random, short last block', 2d1fb4f1660f7a20b0ab935d57427cffb259fb599cd8a85b84b557e975887b28",
    "empty, ac73670af3abed54ac6fb4695131f4099be9fbe39d6076c5d0264a6bbdae9d83",
  })
  @DisplayName("writes exactly the bytes it always wrote, whatever the threads")
  void pinnedBytes(String name, String sha256) throws IOException {
    byte[] input = pinnedInput(name);
    assertEquals(sha256, sha256(compress(input, 1)), "1 thread");
    assertEquals(sha256, sha256(compress(input, 2)), "2 threads");
    assertArrayEquals(input, gunzip(compress(input, 2)));
  }

  @Test
  @DisplayName("pins a mixture whose stored blocks lie between deflated ones, short last block")
  void pinnedMixtureStoresAndDeflates() {
    byte[] mixture = pinnedInput("mixture");
    StringBuilder kinds = new StringBuilder();
    for (int from = 0; from < mixture.length; from += ParallelGzipOutputStream.BLOCK_SIZE) {
      int length = Math.min(ParallelGzipOutputStream.BLOCK_SIZE, mixture.length - from);
      byte[] block = Arrays.copyOfRange(mixture, from, from + length);
      kinds.append(ParallelGzipOutputStream.evenlySpread(block, length) ? 'S' : 'D');
    }
    assertEquals("DDDSDDDDSD", kinds.toString());
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
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
  @DisplayName("fails with an IOException when the destination fails, and closes the destination")
  void destinationFails() {
    byte[] input = input(8 * ParallelGzipOutputStream.BLOCK_SIZE);
    boolean[] closed = {false};
    OutputStream failing =
        new OutputStream() {
          private int written;

          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] bytes, int from, int length) throws IOException {
            written += length;
            if (written > 10) {
              throw new IOException("disk full");
            }
          }

          @Override
          public void close() {
            closed[0] = true;
          }
        };

    IOException failed =
        assertThrows(
            IOException.class,
            () -> {
              try (ParallelGzipOutputStream gzip = new ParallelGzipOutputStream(failing, 6, 2)) {
                gzip.write(input);
              }
            });
    assertEquals("disk full", failed.getMessage());
    assertTrue(closed[0], "the destination is closed");
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
