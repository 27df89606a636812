package dev.fanout.internal.image;

import java.util.List;
import java.util.Set;

/** The manifest media types Fanout pushes and accepts, OCI and Docker alike. */
public final class MediaTypes {

  /** OCI image manifest. */
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  /** OCI image index. */
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

  /** Docker image manifest, schema 2. */
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";

  /** Docker manifest list. */
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";

  /** What a manifest GET accepts, so that a registry serves the bytes it holds unconverted. */
  public static final List<String> ACCEPTED =
      List.of(OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST);

  private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);

  private MediaTypes() {}

  /**
   * Whether a media type is an index.
   *
   * @param mediaType the media type
   * @return true for an OCI image index or a Docker manifest list
   */
  public static boolean isIndex(String mediaType) {
    return INDEXES.contains(mediaType);
  }

  /**
   * Whether a media type is a manifest Fanout can push.
   *
   * @param mediaType the media type
   * @return true for the four types in {@link #ACCEPTED}
   */
  public static boolean isManifest(String mediaType) {
    return ACCEPTED.contains(mediaType);
  }
}
