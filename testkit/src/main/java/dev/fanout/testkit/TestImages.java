package dev.fanout.testkit;

import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Small, reproducible images for tests: the same inputs give the same digest on every run and
 * every registry, which is what lets a test compare digests across registries.
 */
public final class TestImages {

  private TestImages() {}

  /**
   * An image from scratch with one layer holding a script and a text file under {@code /app}.
   *
   * @param folder an empty folder to write the files into
   * @param greeting text that goes into the image; different greetings give different digests
   * @return the Jib builder
   * @throws IOException when the files cannot be written
   */
  public static JibContainerBuilder smallApp(Path folder, String greeting) throws IOException {
    Path run = Files.writeString(folder.resolve("run.sh"), "#!/bin/sh\ncat /app/hello.txt\n");
    Path hello = Files.writeString(folder.resolve("hello.txt"), greeting + "\n", StandardCharsets.UTF_8);
    return Jib.fromScratch()
        .addLayer(List.of(run, hello), AbsoluteUnixPath.get("/app"))
        .setEntrypoint("/app/run.sh")
        .setCreationTime(Instant.EPOCH);
  }

  /**
   * An image from scratch with one layer holding 256 KiB that does not compress, large enough
   * for a fault injector to cut a blob upload in the middle.
   *
   * @param folder an empty folder to write the files into
   * @param name text that goes into the image; different names give different digests
   * @return the Jib builder
   * @throws IOException when the files cannot be written
   */
  public static JibContainerBuilder incompressible(Path folder, String name) throws IOException {
    byte[] noise = new byte[256 * 1024];
    new Random(42).nextBytes(noise);
    Path data = Files.write(folder.resolve("data.bin"), noise);
    Path label = Files.writeString(folder.resolve("name.txt"), name);
    return Jib.fromScratch()
        .addLayer(List.of(data, label), AbsoluteUnixPath.get("/app"))
        .setCreationTime(Instant.EPOCH);
  }
}
