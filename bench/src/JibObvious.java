import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * jib-core used the obvious way, the benchmark's baseline: one JVM, one builder, {@code
 * containerize} once per target, one after another, with Jib's default caches (application layers
 * under {@code java.io.tmpdir}, so the first target compresses and the others reuse).
 *
 * <p>usage: {@code java -DsendCredentialsOverHttp=true -cp CP JibObvious DIR... -- REFERENCE...};
 * credentials from FANOUT_USERNAME / FANOUT_PASSWORD. Builds the same image as the fanout command
 * line (one layer per directory under /NAME, creation time at the epoch), so the digests agree.
 */
public final class JibObvious {

  private JibObvious() {}

  /**
   * Pushes to each reference in turn and prints one line per push.
   *
   * @param args directories, then {@code --}, then references
   * @throws Exception whatever Jib throws: the benchmark counts a failed run as failed
   */
  public static void main(String[] args) throws Exception {
    List<Path> layers = new ArrayList<>();
    List<String> references = new ArrayList<>();
    boolean afterSeparator = false;
    for (String arg : args) {
      if (arg.equals("--")) {
        afterSeparator = true;
      } else if (afterSeparator) {
        references.add(arg);
      } else {
        layers.add(Path.of(arg));
      }
    }
    JibContainerBuilder builder = Jib.fromScratch().setCreationTime(Instant.EPOCH);
    for (Path layer : layers) {
      AbsoluteUnixPath into = AbsoluteUnixPath.get("/" + layer.getFileName());
      builder.addFileEntriesLayer(
          FileEntriesLayer.builder().setName(into.toString()).addEntryRecursive(layer, into).build());
    }
    String username = System.getenv("FANOUT_USERNAME");
    String password = System.getenv("FANOUT_PASSWORD");
    for (String reference : references) {
      long started = System.nanoTime();
      RegistryImage image = RegistryImage.named(reference);
      if (username != null) {
        image.addCredential(username, password);
      }
      JibContainer container =
          builder.containerize(Containerizer.to(image).setAllowInsecureRegistries(true));
      System.out.printf(
          "pushed %s %s in %d ms%n",
          reference, container.getDigest(), (System.nanoTime() - started) / 1_000_000);
    }
  }
}
