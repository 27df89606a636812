package dev.fanout.image;

import dev.fanout.internal.image.DockerArchive;
import dev.fanout.internal.image.ImageInHand;
import dev.fanout.internal.image.ManifestBytes;
import dev.fanout.internal.image.OciLayout;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads an image in a JVM of its own, so a test can choose that JVM's heap and locale, and prints
 * what it read: {@code heap-mib}, {@code charset}, {@code root}, then each {@code manifest} and
 * {@code blob} digest, one per line.
 *
 * <p>Arguments: {@code layout <path>} or {@code archive <path> <work folder>}.
 */
final class ReadImageMain {

  private ReadImageMain() {}

  /**
   * Reads and prints.
   *
   * @param args {@code layout <path>} or {@code archive <path> <work folder>}
   */
  public static void main(String[] args) {
    Path path = Path.of(args[1]);
    ImageInHand image =
        args[0].equals("layout")
            ? OciLayout.read(path, Optional.empty())
            : DockerArchive.read(path, Optional.empty(), Path.of(args[2]));
    System.out.println("heap-mib " + Runtime.getRuntime().maxMemory() / (1024 * 1024));
    System.out.println("charset " + Charset.defaultCharset());
    System.out.println("root " + image.digest());
    for (ManifestBytes manifest : image.manifests()) {
      System.out.println("manifest " + manifest.digest());
    }
    image.blobs().keySet().forEach(digest -> System.out.println("blob " + digest));
  }
}
