package dev.fanout.cli.config;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.ImageSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns an {@link ImageSection} into the DSL's {@link ImageSource}: an existing image named with
 * the prefixes skopeo users know ({@code oci:}, {@code docker-archive:}, {@code docker://}), or an
 * image built with Jib from a base and directories.
 */
public final class ImageSources {

  /**
   * The built image's creation time, fixed so that the same directories give the same digest on
   * every run; Jib already fixes every file's time (at 1970-01-01T00:00:01Z).
   */
  private static final Instant CREATION_TIME = Instant.EPOCH;

  private static final String OCI = "oci:";
  private static final String DOCKER_ARCHIVE = "docker-archive:";
  private static final String REGISTRY = "docker://";

  private ImageSources() {}

  /**
   * What is wrong with a {@code from} value, found without reading anything.
   *
   * @param from the value
   * @return a sentence naming the problem, or empty
   */
  public static Optional<String> problem(String from) {
    for (String prefix : new String[] {OCI, DOCKER_ARCHIVE, REGISTRY}) {
      if (from.startsWith(prefix)) {
        return from.length() > prefix.length()
            ? Optional.empty()
            : Optional.of("'" + from + "' names nothing after " + prefix);
      }
    }
    return Optional.of("'" + from + "' is not oci:PATH, docker-archive:PATH or docker://REFERENCE");
  }

  /**
   * The reference a {@code docker://} value names.
   *
   * @param from a value {@link #problem(String)} accepts
   * @return the reference, or empty for a file source
   */
  static Optional<String> registryReference(String from) {
    return from.startsWith(REGISTRY)
        ? Optional.of(from.substring(REGISTRY.length()))
        : Optional.empty();
  }

  /**
   * A file source's value with its path read from {@code folder} when relative.
   *
   * @param from a value {@link #problem(String)} accepts
   * @param folder the folder relative paths start from
   * @return the value with an absolute path; a {@code docker://} value as it is
   */
  static String resolvedAgainst(String from, Path folder) {
    for (String prefix : new String[] {OCI, DOCKER_ARCHIVE}) {
      if (from.startsWith(prefix)) {
        return prefix + folder.resolve(from.substring(prefix.length()));
      }
    }
    return from;
  }

  /**
   * Where a directory's files go in the image when no path is given: {@code /} and its name.
   *
   * @param directory the directory
   * @return such as {@code /app}
   */
  public static String defaultPathInImage(Path directory) {
    Path name = directory.toAbsolutePath().normalize().getFileName();
    return "/" + (name == null ? "" : name.toString());
  }

  /**
   * The image source an image section describes.
   *
   * @param image the section, checked
   * @param pullCredentials the credential for a {@code docker://} source or a base image when the
   *     section names none
   * @param plainHttp whether a {@code docker://} source may be read over plain HTTP besides what
   *     the section says (loopback only, as for the targets)
   * @param environment the variables the credentials read
   * @return the source
   * @throws IOException when a layer directory cannot be read
   */
  public static ImageSource of(
      ImageSection image,
      CredentialSource pullCredentials,
      boolean plainHttp,
      Environment environment)
      throws IOException {
    CredentialSource credentials = image.credentials().orElse(pullCredentials);
    if (image.from().isPresent()) {
      return existing(image.from().get(), credentials, plainHttp || image.plainHttp(), environment);
    }
    JibContainerBuilder builder =
        image.base().isPresent()
            ? Jib.from(base(image.base().get(), credentials, environment))
            : Jib.fromScratch();
    builder.setCreationTime(CREATION_TIME);
    for (ImageSection.Layer layer : image.layers()) {
      builder.addFileEntriesLayer(
          FileEntriesLayer.builder()
              .setName(layer.pathInImage().toString())
              .addEntryRecursive(layer.directory(), layer.pathInImage())
              .build());
    }
    if (!image.entrypoint().isEmpty()) {
      builder.setEntrypoint(image.entrypoint());
    }
    if (!image.platforms().isEmpty()) {
      builder.setPlatforms(Platforms.forJib(image.platforms()));
    }
    return ImageSource.jib(builder);
  }

  private static ImageSource existing(
      String from, CredentialSource credentials, boolean plainHttp, Environment environment) {
    if (from.startsWith(OCI)) {
      return ImageSource.ociLayout(Path.of(from.substring(OCI.length())));
    }
    if (from.startsWith(DOCKER_ARCHIVE)) {
      return ImageSource.dockerArchive(Path.of(from.substring(DOCKER_ARCHIVE.length())));
    }
    String reference = from.substring(REGISTRY.length());
    return plainHttp
        ? ImageSource.registryImageOverPlainHttp(reference, credentials, environment)
        : ImageSource.registryImage(reference, credentials, environment);
  }

  /**
   * The base image, pulled by Jib with the credential, asked for only when Jib pulls. Jib reaches a
   * base on this machine over plain HTTP by itself (core allows it for loopback only).
   */
  private static RegistryImage base(
      String reference, CredentialSource credentials, Environment environment) {
    ImageReference parsed;
    try {
      parsed = ImageReference.parse(reference);
    } catch (InvalidImageReferenceException e) {
      throw new IllegalArgumentException(
          "the base image reference was not checked: " + reference, e);
    }
    return RegistryImage.named(parsed)
        .addCredentialRetriever(credentials.jibRetriever(parsed.getRegistry(), environment));
  }
}
