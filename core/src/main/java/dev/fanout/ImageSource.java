package dev.fanout;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import dev.fanout.internal.ImageLoader;
import dev.fanout.internal.JibReferences;
import dev.fanout.internal.RegistryCopies;
import dev.fanout.internal.image.DockerArchive;
import dev.fanout.internal.image.OciLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The image a pipeline builds or loads once and pushes everywhere: a Jib container builder, an OCI
 * image layout, a {@code docker save} tarball, or an image already in a registry, copied by digest.
 *
 * <p>The pipeline takes ownership of a Jib builder given to it: it builds the image with it once,
 * so the builder must not be changed while a run is under way.
 */
public final class ImageSource {

  private final String description;
  private final @Nullable JibContainerBuilder builder;
  private final @Nullable ImageLoader loader;
  private final Supplier<List<String>> problems;

  private ImageSource(
      String description,
      @Nullable JibContainerBuilder builder,
      @Nullable ImageLoader loader,
      List<String> problems) {
    this(description, builder, loader, () -> problems);
  }

  private ImageSource(
      String description,
      @Nullable JibContainerBuilder builder,
      @Nullable ImageLoader loader,
      Supplier<List<String>> problems) {
    this.description = description;
    this.builder = builder;
    this.loader = loader;
    this.problems = problems;
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
   * An OCI image layout, a folder or a tar, pushed byte for byte: the image or index that its
   * {@code index.json} names, with every platform and attestation manifest. A layout whose {@code
   * index.json} names several images needs {@link #ociLayout(Path, String)}.
   *
   * <p>The plan checks the layout without reading its blobs: every entry a plain file inside it,
   * every manifest and blob present with its size. The run hashes each blob once and refuses one
   * that is not what its digest says.
   *
   * @param layout the layout folder, or a tar of one (an oci-archive)
   * @return the source
   */
  public static ImageSource ociLayout(Path layout) {
    return ociLayout(layout, Optional.empty());
  }

  /**
   * The image of an OCI image layout that its {@code index.json} names with {@code
   * org.opencontainers.image.ref.name}, as {@link #ociLayout(Path)} pushes it.
   *
   * @param layout the layout folder, or a tar of one
   * @param refName the name, for example {@code 1.4.2} or {@code ghcr.io/acme/app:1.4.2}
   * @return the source
   */
  public static ImageSource ociLayout(Path layout, String refName) {
    return ociLayout(layout, Optional.of(Objects.requireNonNull(refName, "refName")));
  }

  private static ImageSource ociLayout(Path layout, Optional<String> refName) {
    Objects.requireNonNull(layout, "layout");
    return new ImageSource(
        "OCI layout " + layout + refName.map(name -> " (" + name + ")").orElse(""),
        null,
        load -> OciLayout.read(layout, refName),
        () -> prefixed(OciLayout.problems(layout, refName)));
  }

  /**
   * An image saved with {@code docker save} (a Docker archive with a {@code manifest.json}). Its
   * layers are compressed deterministically, so its digest is the same on every target and every
   * run, though not the digest the image had in the Docker daemon. An archive of several images
   * needs {@link #dockerArchive(Path, String)}.
   *
   * <p>The plan checks the archive without reading its layers: every entry a plain file inside it,
   * its config and layers present. The run checks each layer against the config's {@code
   * diff_ids}.
   *
   * @param dockerArchive the tarball
   * @return the source
   */
  public static ImageSource dockerArchive(Path dockerArchive) {
    return dockerArchive(dockerArchive, Optional.empty());
  }

  /**
   * The image of a {@code docker save} archive that its {@code manifest.json} tags {@code repoTag},
   * as {@link #dockerArchive(Path)} pushes it.
   *
   * @param dockerArchive the tarball
   * @param repoTag the tag, for example {@code acme/app:1.4.2}
   * @return the source
   */
  public static ImageSource dockerArchive(Path dockerArchive, String repoTag) {
    return dockerArchive(dockerArchive, Optional.of(Objects.requireNonNull(repoTag, "repoTag")));
  }

  private static ImageSource dockerArchive(Path archive, Optional<String> repoTag) {
    Objects.requireNonNull(archive, "dockerArchive");
    return new ImageSource(
        "docker archive " + archive + repoTag.map(tag -> " (" + tag + ")").orElse(""),
        null,
        load -> DockerArchive.read(archive, repoTag, load.work().resolve("docker-archive")),
        () -> prefixed(DockerArchive.problems(archive, repoTag)));
  }

  private static List<String> prefixed(List<String> problems) {
    return problems.stream().map(problem -> "image source: " + problem).toList();
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
  @Nullable ImageLoader loader() {
    return loader;
  }

  /**
   * What is wrong with this source, found without network I/O; a layout or an archive is read
   * for it (its index and manifests, not its blobs), each time this is asked.
   *
   * @return the problems; empty when the source is usable
   */
  public List<String> problems() {
    return List.copyOf(problems.get());
  }

  /** Says what kind of source this is. */
  @Override
  public String toString() {
    return description;
  }
}
