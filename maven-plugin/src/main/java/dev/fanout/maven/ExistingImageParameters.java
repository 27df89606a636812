package dev.fanout.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * The POM's sources of an image that is pushed as it is, instead of building the project's image;
 * at most one of them is given.
 *
 * @param dockerArchive a {@code docker save} tarball, or null
 * @param ociLayout an OCI image layout, a folder or a tar of one, or null
 * @param ociLayoutRefName the {@code org.opencontainers.image.ref.name} of the layout's image, or
 *     null for the layout's only image
 * @param registryImage an image in a registry, or null
 */
record ExistingImageParameters(
    File dockerArchive,
    File ociLayout,
    String ociLayoutRefName,
    RegistryImageParameters registryImage) {

  /** None of them: the project's image is built. */
  static final ExistingImageParameters NONE = new ExistingImageParameters(null, null, null, null);

  /**
   * The sources that are given, named as the POM names them.
   *
   * @return for example {@code [<ociLayout>]}; empty when the project's image is built
   */
  List<String> given() {
    List<String> given = new ArrayList<>();
    if (dockerArchive != null) {
      given.add("<dockerArchive>");
    }
    if (ociLayout != null) {
      given.add("<ociLayout>");
    }
    if (registryImage != null) {
      given.add("<registryImage>");
    }
    return given;
  }
}
