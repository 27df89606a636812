package dev.fanout.internal.image;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An image ready to push, whatever it came from (a Jib build, an OCI layout, a {@code docker save}
 * archive, another registry): every blob, and every manifest as the exact bytes to send.
 *
 * <p>The transport pushes the blobs first, then the manifests in {@link #manifests()} order (children
 * before their index, since a registry refuses an index whose children it does not hold), then the
 * root once per tag. Every target of a run gets the same bytes, so the same digest.
 */
public final class ImageInHand {

  private final ManifestBytes root;
  private final List<ManifestBytes> manifests;
  private final Map<String, Blob> blobs;
  private final Map<String, String> platforms;
  private final Optional<BlobOrigin> origin;

  private ImageInHand(Builder builder) {
    this.root = Objects.requireNonNull(builder.root, "root");
    List<ManifestBytes> ordered = new ArrayList<>(builder.children);
    ordered.add(root);
    this.manifests = List.copyOf(ordered);
    this.blobs = Collections.unmodifiableMap(new LinkedHashMap<>(builder.blobs));
    this.platforms = Collections.unmodifiableMap(new LinkedHashMap<>(builder.platforms));
    this.origin = Optional.ofNullable(builder.origin);
  }

  /**
   * A builder.
   *
   * @param root the manifest or index that the tags name
   * @return the builder
   */
  public static Builder withRoot(ManifestBytes root) {
    return new Builder(root);
  }

  /** The manifest or index the tags name; its digest is the image's digest. */
  public ManifestBytes root() {
    return root;
  }

  /** The digest every target must end up holding. */
  public String digest() {
    return root.digest();
  }

  /** Every manifest, in push order: children first, the root last. */
  public List<ManifestBytes> manifests() {
    return manifests;
  }

  /** Every layer and config blob any manifest refers to, by digest, in the order first referred to. */
  public Map<String, Blob> blobs() {
    return blobs;
  }

  /**
   * For an index, each platform's manifest digest, in index order, keyed by {@code os/arch} or
   * {@code os/arch/variant}; attestation manifests are not platforms. Empty for a single manifest.
   */
  public Map<String, String> platforms() {
    return platforms;
  }

  /**
   * Where every blob already is, when the image was copied from a registry: a target on the same
   * host mounts the blobs from there instead of uploading them.
   */
  public Optional<BlobOrigin> origin() {
    return origin;
  }

  @Override
  public String toString() {
    return "ImageInHand[" + root + ", " + manifests.size() + " manifests, " + blobs.size() + " blobs]";
  }

  /**
   * A registry repository that holds every blob of the image.
   *
   * @param host the registry host, with its port when it has one
   * @param repository the repository, without tag
   */
  public record BlobOrigin(String host, String repository) {

    /** Checks the fields. */
    public BlobOrigin {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(repository, "repository");
    }
  }

  /** Collects an image in hand; each setter checks what it is given. */
  public static final class Builder {

    private final ManifestBytes root;
    private final List<ManifestBytes> children = new ArrayList<>();
    private final Map<String, Blob> blobs = new LinkedHashMap<>();
    private final Map<String, String> platforms = new LinkedHashMap<>();
    private BlobOrigin origin;

    private Builder(ManifestBytes root) {
      this.root = Objects.requireNonNull(root, "root");
    }

    /**
     * Adds a child manifest of the root index (a platform image or an attestation), or a nested
     * index's child before that index.
     *
     * @param child the manifest
     * @return this builder
     */
    public Builder child(ManifestBytes child) {
      if (!children.contains(Objects.requireNonNull(child, "child"))) {
        children.add(child);
      }
      return this;
    }

    /**
     * Adds a blob; the same digest added twice is kept once.
     *
     * @param blob the blob
     * @return this builder
     */
    public Builder blob(Blob blob) {
      blobs.putIfAbsent(blob.digest(), blob);
      return this;
    }

    /**
     * Names a platform's manifest.
     *
     * @param platform {@code os/arch} or {@code os/arch/variant}
     * @param digest the digest of a child added with {@link #child}
     * @return this builder
     */
    public Builder platform(String platform, String digest) {
      platforms.put(Objects.requireNonNull(platform, "platform"), Digests.requireValid(digest));
      return this;
    }

    /**
     * Says where every blob already is.
     *
     * @param origin the source repository
     * @return this builder
     */
    public Builder origin(BlobOrigin origin) {
      this.origin = Objects.requireNonNull(origin, "origin");
      return this;
    }

    /**
     * The image.
     *
     * @return the image
     * @throws IllegalStateException when a platform names a manifest that was not added
     */
    public ImageInHand build() {
      for (Map.Entry<String, String> platform : platforms.entrySet()) {
        if (children.stream().noneMatch(child -> child.digest().equals(platform.getValue()))) {
          throw new IllegalStateException(
              "platform " + platform.getKey() + " names " + platform.getValue() + ", not a child");
        }
      }
      return new ImageInHand(this);
    }
  }
}
