package dev.fanout.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** What {@code --version} prints: Fanout's version, from the build, and the JVM it runs on. */
final class FanoutVersion implements IVersionProvider {

  /** Written by the build (resource filtering), so it is the version of the jar it is in. */
  static final String RESOURCE = "version.properties";

  @Override
  public String[] getVersion() {
    return new String[] {
      "fanout " + version(), "Java ${java.version} (${java.vendor}), ${os.name} ${os.arch}"
    };
  }

  /**
   * Fanout's version.
   *
   * @return the version the build wrote, such as {@code 0.1.0}
   */
  static String version() {
    Properties properties = new Properties();
    try (InputStream in = FanoutVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing beside " + FanoutVersion.class);
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version");
  }
}
