package dev.fanout.maven;

import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.ImageSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Turns {@code <dockerArchive>}, {@code <ociLayout>} or {@code <registryImage>} into the image
 * source that pushes that image as it is. Opens no connection: the files are only looked for, and
 * core's plan reads a layout's or an archive's index without its blobs.
 */
final class ExistingImages {

  private final PomCredentials credentials;
  private final Environment environment;

  /**
   * @param credentials turns {@code <registryImage><credentials>} into a source
   * @param environment what that source reads when the image is pulled
   */
  ExistingImages(PomCredentials credentials, Environment environment) {
    this.credentials = credentials;
    this.environment = environment;
  }

  /**
   * The source of the one existing image the POM gives.
   *
   * @param existing the POM's parameters; at least one source given
   * @param containerSettings whether the POM also sets what only a built image has ({@code
   *     <from>}, {@code <mainClass>}, {@code <platforms>} and so on)
   * @param problems receives every problem
   * @return the source and its summary, or empty when there are problems
   */
  Optional<ProjectImage.Described> describe(
      ExistingImageParameters existing, boolean containerSettings, List<String> problems) {
    int before = problems.size();
    List<String> given = existing.given();
    String name = String.join(", ", given);
    if (given.size() > 1) {
      problems.add(name + ": give one image to push as it is, not " + given.size());
    }
    if (containerSettings) {
      problems.add(
          name
              + " is pushed as it is: <from>, <mainClass>, <entrypoint>, <jvmFlags>,"
              + " <ports>, <labels>, <environment> and <platforms> do not apply to it");
    }
    if (existing.ociLayoutRefName() != null && existing.ociLayout() == null) {
      problems.add("<ociLayoutRefName> names an image of an <ociLayout>, and none is given");
    }
    Optional<ImageSource> source = Optional.empty();
    if (existing.dockerArchive() != null) {
      source = dockerArchive(existing.dockerArchive().toPath(), problems);
    } else if (existing.ociLayout() != null) {
      source = ociLayout(existing.ociLayout().toPath(), existing.ociLayoutRefName(), problems);
    } else if (existing.registryImage() != null) {
      source = registryImage(existing.registryImage(), problems);
    }
    if (problems.size() > before || source.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ProjectImage.Described(source.get(), source.get().toString()));
  }

  private static Optional<ImageSource> dockerArchive(Path archive, List<String> problems) {
    if (!Files.isRegularFile(archive)) {
      problems.add("<dockerArchive> " + archive + " is not a file");
      return Optional.empty();
    }
    return Optional.of(ImageSource.dockerArchive(archive));
  }

  private static Optional<ImageSource> ociLayout(
      Path layout, String refName, List<String> problems) {
    if (!Files.exists(layout)) {
      problems.add("<ociLayout> " + layout + " does not exist");
      return Optional.empty();
    }
    if (refName != null && refName.isBlank()) {
      problems.add("<ociLayoutRefName> is empty");
      return Optional.empty();
    }
    return Optional.of(
        refName == null
            ? ImageSource.ociLayout(layout)
            : ImageSource.ociLayout(layout, refName.trim()));
  }

  private Optional<ImageSource> registryImage(
      RegistryImageParameters registryImage, List<String> problems) {
    if (registryImage.image == null || registryImage.image.isBlank()) {
      problems.add("<registryImage> has no <image>");
      return Optional.empty();
    }
    String reference = registryImage.image.trim();
    CredentialSource source =
        credentials
            .of(registryImage.credentials, reference, "<registryImage> " + reference, problems)
            // As for <from>: Docker's config.json and its credential helpers, else anonymous.
            .orElse(CredentialSource.dockerConfig());
    return Optional.of(
        registryImage.plainHttp
            ? ImageSource.registryImageOverPlainHttp(reference, source, environment)
            : ImageSource.registryImage(reference, source, environment));
  }
}
