package dev.fanout.internal.image;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An OCI content descriptor as read from a manifest or an index: what one manifest says about a
 * blob or another manifest. Read only; Fanout never writes a descriptor back into a manifest it did
 * not author.
 *
 * @param mediaType the media type of the content pointed to
 * @param digest {@code sha256:<64 hex>}, checked when read
 * @param size the content's length in bytes
 * @param platform the platform, for an index's manifest entries that give one
 * @param annotations the descriptor's annotations, in document order; empty when there are none
 * @param artifactType the artifact type, when given
 */
record Descriptor(
    String mediaType,
    String digest,
    long size,
    Optional<Platform> platform,
    Map<String, String> annotations,
    Optional<String> artifactType) {

  /** Docker's annotation that marks an attestation manifest in a buildx index. */
  public static final String REFERENCE_TYPE = "vnd.docker.reference.type";

  /** The value of {@link #REFERENCE_TYPE} for an attestation manifest. */
  public static final String ATTESTATION_MANIFEST = "attestation-manifest";

  /** Checks the fields. */
  public Descriptor {
    Objects.requireNonNull(mediaType, "mediaType");
    Digests.requireValid(digest);
    Objects.requireNonNull(platform, "platform");
    annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    Objects.requireNonNull(artifactType, "artifactType");
  }

  /**
   * Whether this entry of an index is a buildx attestation manifest rather than a platform image.
   */
  public boolean isAttestation() {
    return ATTESTATION_MANIFEST.equals(annotations.get(REFERENCE_TYPE));
  }

  /**
   * An index entry's platform.
   *
   * @param os the operating system, such as {@code linux}
   * @param architecture the CPU architecture, such as {@code arm64}
   * @param variant the CPU variant, such as {@code v8}, when given
   * @param osVersion {@code os.version}, when given
   */
  public record Platform(
      String os, String architecture, Optional<String> variant, Optional<String> osVersion) {

    /** Checks the fields. */
    public Platform {
      Objects.requireNonNull(os, "os");
      Objects.requireNonNull(architecture, "architecture");
      Objects.requireNonNull(variant, "variant");
      Objects.requireNonNull(osVersion, "osVersion");
    }

    /** {@code os/architecture}, or {@code os/architecture/variant} when there is a variant. */
    public String key() {
      return os + "/" + architecture + variant.map(v -> "/" + v).orElse("");
    }
  }
}
