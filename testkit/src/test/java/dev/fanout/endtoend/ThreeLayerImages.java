package dev.fanout.endtoend;

import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Images of three layers built with Jib from scratch, one generated file per layer, for the tests
 * that push through faults: a release image has several layers of different sizes, and a retry bug
 * may hide behind an image of one small layer. The files are generated from fixed seeds, so an
 * image has the same digest on every run; the faults the tests inject are not seeded.
 */
final class ThreeLayerImages {

  private static final int KIB = 1024;
  private static final int MIB = 1024 * KIB;

  /**
   * The letters of {@link #writeText}: six equally likely symbols carry 2.6 bits each, so gzip
   * brings text of them to about 37 % of its size (24 MiB to about 9 MB), like a layer of compiled
   * code and resources rather than one of noise.
   */
  private static final byte[] ALPHABET = {'a', 'c', 'g', 't', 'n', '\n'};

  private ThreeLayerImages() {}

  /**
   * Writes the files of a 72 MiB image: 48 MiB of random bytes, which do not compress; 24 MiB of
   * random text from six letters, which gzip brings to about 9 MB; and 100 KiB of random bytes.
   *
   * @param folder an empty folder
   * @return the three files, largest first
   * @throws IOException when a file cannot be written
   */
  static List<Path> writeLarge(Path folder) throws IOException {
    return List.of(
        writeNoise(folder.resolve("noise.bin"), 48 * MIB, 1),
        writeText(folder.resolve("text.txt"), 24 * MIB, 2),
        writeNoise(folder.resolve("small.bin"), 100 * KIB, 3));
  }

  /**
   * Writes the files of an image of about 100 KiB: 64 KiB of random bytes, 32 KiB of random text
   * and a one-line file naming the image.
   *
   * @param folder an empty folder
   * @param name text for the third file; different names give different digests
   * @return the three files
   * @throws IOException when a file cannot be written
   */
  static List<Path> writeSmall(Path folder, String name) throws IOException {
    return List.of(
        writeNoise(folder.resolve("noise.bin"), 64 * KIB, 4),
        writeText(folder.resolve("text.txt"), 32 * KIB, 5),
        Files.writeString(folder.resolve("name.txt"), name + "\n"));
  }

  /**
   * An image from scratch with one layer per file, each under its own folder, created at the epoch
   * so that the same files always give the same digest.
   *
   * @param files the layers' files, lowest layer first
   * @return a new builder; a pipeline owns the builder it is given, so each run needs its own
   * @throws IOException when a file cannot be read
   */
  static JibContainerBuilder image(List<Path> files) throws IOException {
    JibContainerBuilder image = Jib.fromScratch().setCreationTime(Instant.EPOCH);
    for (int index = 0; index < files.size(); index++) {
      image.addLayer(List.of(files.get(index)), AbsoluteUnixPath.get("/layer" + index));
    }
    return image;
  }

  private static Path writeNoise(Path file, int size, long seed) throws IOException {
    Random random = new Random(seed);
    byte[] block = new byte[Math.min(size, MIB)];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int written = 0; written < size; written += block.length) {
        random.nextBytes(block);
        out.write(block, 0, Math.min(block.length, size - written));
      }
    }
    return file;
  }

  private static Path writeText(Path file, int size, long seed) throws IOException {
    Random random = new Random(seed);
    byte[] block = new byte[Math.min(size, MIB)];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int written = 0; written < size; written += block.length) {
        for (int i = 0; i < block.length; i++) {
          block[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        out.write(block, 0, Math.min(block.length, size - written));
      }
    }
    return file;
  }
}
