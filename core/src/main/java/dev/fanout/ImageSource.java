package dev.fanout;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.registry.credentials.CredentialRetrievalException;
import dev.fanout.internal.JibReferences;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The image a pipeline builds once and pushes everywhere: a Jib container builder, a {@code docker
 * save} tarball, or an image already in a registry.
 *
 * <p>The pipeline takes ownership of a Jib builder given to it: it calls {@code containerize} once
 * per target, so the builder must not be changed while a run is under way.
 */
public final class ImageSource {

  private final String description;
  private final JibContainerBuilder builder;
  private final List<String> problems;

  private ImageSource(String description, JibContainerBuilder builder, List<String> problems) {
    this.description = description;
    this.builder = builder;
    this.problems = problems;
  }

  /**
   * An image described with Jib, for example {@code Jib.fromScratch().addLayer(...)}.
   *
   * @param builder the Jib builder; the pipeline calls {@code containerize} on it
   * @return the source
   */
  public static ImageSource jib(JibContainerBuilder builder) {
    return new ImageSource("Jib container builder", Objects.requireNonNull(builder, "builder"), List.of());
  }

  /**
   * An image saved with {@code docker save} (a Docker archive with a {@code manifest.json}).
   *
   * <p>Jib recompresses the archive's layers, so the pushed digest differs from the digest the
   * image had in the Docker daemon; it is the same on every target.
   *
   * @param dockerArchive the tarball
   * @return the source
   */
  public static ImageSource dockerArchive(Path dockerArchive) {
    Objects.requireNonNull(dockerArchive, "dockerArchive");
    return new ImageSource(
        "docker archive " + dockerArchive, Jib.from(TarImage.at(dockerArchive)), List.of());
  }

  /**
   * An image already in a registry, pulled anonymously and copied to every target.
   *
   * @param reference the image, for example {@code ghcr.io/acme/app:1.4.2}
   * @return the source; an invalid reference is reported by the plan
   */
  public static ImageSource registryImage(String reference) {
    Objects.requireNonNull(reference, "reference");
    Optional<String> problem = JibReferences.problem(reference);
    if (problem.isPresent()) {
      return new ImageSource(
          "registry image " + reference, null, List.of("image source: " + problem.get()));
    }
    RegistryImage image = RegistryImage.named(JibReferences.parse(reference));
    return new ImageSource("registry image " + reference, Jib.from(image), List.of());
  }

  /**
   * An image already in a registry, pulled with a credential and copied to every target; for
   * example an image on Docker Hub pulled with the account's higher pull limit.
   *
   * <p>Nothing is read when the source is declared or planned: Jib asks {@code credentials} for
   * the credential when it pulls the image, with {@code environment}, so an unset variable means
   * an anonymous pull.
   *
   * @param reference the image, for example {@code docker.io/acme/base:1.4}
   * @param credentials where the pull credential comes from; asked for the image's registry host
   * @param environment the variables {@code credentials} reads, normally the pipeline's
   * @return the source; an invalid reference is reported by the plan
   */
  public static ImageSource registryImage(
      String reference, CredentialSource credentials, Environment environment) {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(environment, "environment");
    Optional<String> problem = JibReferences.problem(reference);
    if (problem.isPresent()) {
      return new ImageSource(
          "registry image " + reference, null, List.of("image source: " + problem.get()));
    }
    ImageReference parsed = JibReferences.parse(reference);
    String registryHost = parsed.getRegistry();
    RegistryImage image = RegistryImage.named(parsed);
    image.addCredentialRetriever(
        () -> {
          try {
            return credentials
                .resolve(registryHost, environment)
                .map(found -> Credential.from(found.username(), found.secret()));
          } catch (IOException e) {
            throw new CredentialRetrievalException(e);
          }
        });
    return new ImageSource(
        "registry image " + reference + ", pulled with a credential", Jib.from(image), List.of());
  }

  /**
   * The Jib builder that produces the image.
   *
   * @return the builder; absent only when the source is invalid
   */
  public Optional<JibContainerBuilder> builder() {
    return Optional.ofNullable(builder);
  }

  /**
   * What is wrong with this source, found without I/O.
   *
   * @return the problems; empty when the source is usable
   */
  public List<String> problems() {
    return problems;
  }

  /** Says what kind of source this is. */
  @Override
  public String toString() {
    return description;
  }
}
