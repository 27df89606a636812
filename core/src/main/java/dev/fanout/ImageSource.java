package dev.fanout;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import dev.fanout.internal.ImageLoader;
import dev.fanout.internal.JibReferences;
import dev.fanout.internal.RegistryCopies;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The image a pipeline builds or loads once and pushes everywhere: a Jib container builder, a
 * {@code docker save} tarball, or an image already in a registry, copied by digest.
 *
 * <p>The pipeline takes ownership of a Jib builder given to it: it builds the image with it once,
 * so the builder must not be changed while a run is under way.
 */
public final class ImageSource {

  private final String description;
  private final JibContainerBuilder builder;
  private final ImageLoader loader;
  private final List<String> problems;

  private ImageSource(
      String description, JibContainerBuilder builder, ImageLoader loader, List<String> problems) {
    this.description = description;
    this.builder = builder;
    this.loader = loader;
    this.problems = List.copyOf(problems);
  }

  /**
   * An image described with Jib, for example {@code Jib.fromScratch().addLayer(...)}. With {@code
   * setPlatforms(...)} over a multi-platform base image, the run builds each platform once and
   * pushes one index over them.
   *
   * @param builder the Jib builder
   * @return the source
   */
  public static ImageSource jib(JibContainerBuilder builder) {
    return new ImageSource(
        "Jib container builder", Objects.requireNonNull(builder, "builder"), null, List.of());
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
        "docker archive " + dockerArchive, Jib.from(TarImage.at(dockerArchive)), null, List.of());
  }

  /**
   * An image already in a registry, copied by digest to every target: the manifest or index bytes
   * as the source serves them, every platform and attestation, so every target ends up with the
   * source's digest. Targets on the source's host mount the blobs; others receive them, each blob
   * downloaded once. The credential is the source host's entry in Docker's {@code config.json},
   * else none.
   *
   * @param reference the image, for example {@code ghcr.io/acme/app:1.4.2} or {@code
   *     ghcr.io/acme/app@sha256:...}
   * @return the source; an invalid reference is reported by the plan
   */
  public static ImageSource registryImage(String reference) {
    return registryCopy(reference, Optional.<RegistryCopies.Pull>empty(), false);
  }

  /**
   * An image already in a registry, copied by digest with a pull credential, as {@link
   * #registryImage(String)} does; for example an image on Docker Hub pulled with the account's
   * higher pull limit.
   *
   * <p>Nothing is read when the source is declared or planned: {@code credentials} is asked for
   * the source host's credential, with {@code environment}, when the run copies the image, so an
   * unset variable means an anonymous pull.
   *
   * @param reference the image, for example {@code docker.io/acme/base:1.4}
   * @param credentials where the pull credential comes from; asked for the image's registry host
   * @param environment the variables {@code credentials} reads, normally the pipeline's
   * @return the source; an invalid reference is reported by the plan
   */
  public static ImageSource registryImage(
      String reference, CredentialSource credentials, Environment environment) {
    return registryCopy(reference, credentials, environment, false);
  }

  /**
   * An image in a registry on this machine, served over plain HTTP, copied as {@link
   * #registryImage(String, CredentialSource, Environment)} does. A credential travels over plain
   * HTTP only to {@code localhost} or a literal loopback address; the plan refuses anything else.
   *
   * @param reference the image, for example {@code 127.0.0.1:5000/acme/app:1.4.2}
   * @param credentials where the pull credential comes from
   * @param environment the variables {@code credentials} reads, normally the pipeline's
   * @return the source; an invalid reference is reported by the plan
   */
  public static ImageSource registryImageOverPlainHttp(
      String reference, CredentialSource credentials, Environment environment) {
    return registryCopy(reference, credentials, environment, true);
  }

  private static ImageSource registryCopy(
      String reference, CredentialSource credentials, Environment environment, boolean plainHttp) {
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(environment, "environment");
    return registryCopy(
        reference, Optional.of(new RegistryCopies.Pull(credentials, environment)), plainHttp);
  }

  private static ImageSource registryCopy(
      String reference, Optional<RegistryCopies.Pull> credentials, boolean plainHttp) {
    Objects.requireNonNull(reference, "reference");
    String description = "registry image " + reference;
    Optional<String> problem = JibReferences.problem(reference);
    if (problem.isPresent()) {
      return new ImageSource(description, null, null, List.of("image source: " + problem.get()));
    }
    ImageReference parsed = JibReferences.parse(reference);
    List<String> problems = RegistryCopies.problems(parsed, credentials, plainHttp);
    return new ImageSource(
        description, null, RegistryCopies.loader(parsed, credentials, plainHttp), problems);
  }

  /**
   * The Jib builder that produces the image.
   *
   * @return the builder; absent for a source that Jib does not build, or an invalid one
   */
  public Optional<JibContainerBuilder> builder() {
    return Optional.ofNullable(builder);
  }

  /** How the run brings the image into hand when Jib does not build it; null for a Jib builder. */
  ImageLoader loader() {
    return loader;
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
