package dev.fanout.cli;

import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.ImageSource;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads {@code --from}: an existing image, named with the prefixes skopeo users know ({@code
 * oci:}, {@code docker-archive:}, {@code docker://}).
 */
final class ImageSources {

  private static final String OCI = "oci:";
  private static final String DOCKER_ARCHIVE = "docker-archive:";
  private static final String REGISTRY = "docker://";

  private ImageSources() {}

  /**
   * What is wrong with a {@code --from} value, found without reading anything.
   *
   * @param from the value
   * @return a sentence naming the problem, or empty
   */
  static Optional<String> problem(String from) {
    for (String prefix : new String[] {OCI, DOCKER_ARCHIVE, REGISTRY}) {
      if (from.startsWith(prefix)) {
        return from.length() > prefix.length()
            ? Optional.empty()
            : Optional.of("--from " + from + " names nothing after " + prefix);
      }
    }
    return Optional.of(
        "--from '" + from + "' is not oci:PATH, docker-archive:PATH or docker://REFERENCE");
  }

  /**
   * The image source a valid {@code --from} value names.
   *
   * @param from a value {@link #problem(String)} accepts
   * @param pullCredentials where a registry source's pull credential comes from
   * @param plainHttp whether a registry source may be read over plain HTTP (loopback only, as for
   *     the targets)
   * @param environment the variables the credentials read
   * @return the source
   */
  static ImageSource of(
      String from, CredentialSource pullCredentials, boolean plainHttp, Environment environment) {
    if (from.startsWith(OCI)) {
      return ImageSource.ociLayout(Path.of(from.substring(OCI.length())));
    }
    if (from.startsWith(DOCKER_ARCHIVE)) {
      return ImageSource.dockerArchive(Path.of(from.substring(DOCKER_ARCHIVE.length())));
    }
    String reference = from.substring(REGISTRY.length());
    return plainHttp
        ? ImageSource.registryImageOverPlainHttp(reference, pullCredentials, environment)
        : ImageSource.registryImage(reference, pullCredentials, environment);
  }
}
