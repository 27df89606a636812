package dev.fanout.internal.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fanout.internal.image.ContentHash.Hashed;
import dev.fanout.internal.image.DescriptorReader.ImageDescriptors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads an OCI image layout, a folder or a tar of one (an {@code oci-archive}), as written by
 * {@code docker buildx build --output type=oci}, {@code skopeo copy ... oci:}, rules_oci or {@code
 * crane pull --format=oci}, into an image in hand whose manifests are the layout's exact bytes.
 *
 * <p>The image is the entry of {@code index.json} named by {@value #REF_NAME}, or its only entry.
 * An index is taken whole: its platform manifests, attestation manifests and nested indexes.
 *
 * <p>Nothing outside the layout is read: a folder's files are found as {@code blobs/sha256/<hex>}
 * without following links; a tar's entries must all be plain files or folders with names inside it,
 * and its blobs are read in place, as regions of the tar (nothing is extracted). Every manifest and
 * blob is checked against its descriptor, size and digest; each blob is hashed once here, and the
 * transport trusts that digest.
 */
public final class OciLayout {

  /** The annotation of an {@code index.json} entry that names it, such as {@code 1.4.2}. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  /**
   * How deep indexes may nest. Tools write one level (an index of manifests), rarely two; the limit
   * only stops a hostile layout from making the reader recurse without end.
   */
  static final int MAX_NESTING = 8;

  /** The largest manifest or index accepted: Distribution refuses manifests over 4 MiB. */
  static final long MAX_MANIFEST_BYTES = 4L * 1024 * 1024;

  private static final String KIND = "OCI layout";

  private OciLayout() {}

  /**
   * Checks a layout without hashing its blobs and without any network: its entries, {@code
   * index.json}, which entry would be pushed, every manifest (small, so fully checked) and that
   * every blob is present with the size its descriptor gives. The plan calls this.
   *
   * @param layout the layout folder or tar
   * @param refName the {@value #REF_NAME} of the entry to push, or empty for the only one
   * @return every problem found, each naming what it is about; empty when the layout can be read
   */
  public static List<String> problems(Path layout, Optional<String> refName) {
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(refName, "refName");
    List<String> problems = new ArrayList<>();
    try {
      new Walk(ArchiveFiles.open(layout, problems), problems).run(refName);
    } catch (IOException e) {
      problems.add(ArchiveProblem.describe(e));
    }
    return problems;
  }

  /**
   * Reads the image: every check of {@link #problems}, then every blob hashed once and compared
   * with its name.
   *
   * @param layout the layout folder or tar; it must not change while the run lasts, since blobs are
   *     read from it when they are pushed
   * @param refName the {@value #REF_NAME} of the entry to push, or empty for the only one
   * @return the image, its manifests byte for byte as in the layout
   * @throws ImageReadException listing every problem, when the layout is unsafe, inconsistent or
   *     unreadable
   */
  public static ImageInHand read(Path layout, Optional<String> refName) {
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(refName, "refName");
    List<String> problems = new ArrayList<>();
    Walk walk;
    try {
      walk = new Walk(ArchiveFiles.open(layout, problems), problems);
      walk.run(refName);
      if (problems.isEmpty()) {
        walk.verifyBlobs();
      }
    } catch (IOException e) {
      problems.add(ArchiveProblem.describe(e));
      throw new ImageReadException(KIND, layout, problems, e);
    }
    if (!problems.isEmpty()) {
      throw new ImageReadException(KIND, layout, problems, null);
    }
    return walk.image();
  }

  /** One reading of a layout: the manifests from the chosen entry down, and the blobs they name. */
  private static final class Walk {

    private final ArchiveFiles files;
    private final List<String> problems;
    private final Map<String, ManifestBytes> read = new HashMap<>();
    private final List<ManifestBytes> children = new ArrayList<>();
    private final Map<String, ArchiveFile> blobs = new LinkedHashMap<>();
    private final Map<String, Long> blobSizes = new HashMap<>();
    private final Map<String, String> platforms = new LinkedHashMap<>();
    private ManifestBytes root;

    Walk(ArchiveFiles files, List<String> problems) {
      this.files = files;
      this.problems = problems;
    }

    void run(Optional<String> refName) throws IOException {
      checkLayoutVersion();
      Optional<Descriptor> entry = chooseEntry(refName);
      if (entry.isEmpty()) {
        return;
      }
      root = visit(entry.get(), 0, new ArrayDeque<>(), true).orElse(null);
    }

    private void checkLayoutVersion() throws IOException {
      Optional<ArchiveFile> file = files.file("oci-layout", problems);
      if (file.isEmpty()) {
        return;
      }
      try {
        JsonNode version =
            DescriptorReader.tree(file.get().readSmall(MAX_MANIFEST_BYTES))
                .get("imageLayoutVersion");
        if (version == null || !version.isTextual()) {
          problems.add("oci-layout gives no imageLayoutVersion");
        } else if (!version.asText().startsWith("1.")) {
          problems.add(
              "oci-layout gives imageLayoutVersion "
                  + ArchiveNames.quote(version.asText())
                  + "; Fanout reads version 1 layouts");
        }
      } catch (IllegalArgumentException e) {
        problems.add("oci-layout is " + e.getMessage());
      }
    }

    private Optional<Descriptor> chooseEntry(Optional<String> refName) throws IOException {
      Optional<ArchiveFile> file = files.file("index.json", problems);
      if (file.isEmpty()) {
        return Optional.empty();
      }
      List<Descriptor> entries;
      try {
        entries =
            DescriptorReader.index(file.get().readSmall(MAX_MANIFEST_BYTES), Optional.empty());
      } catch (DescriptorReader.InvalidDocumentException e) {
        e.problems().forEach(problem -> problems.add("index.json: " + problem));
        return Optional.empty();
      }
      if (refName.isPresent()) {
        List<Descriptor> named =
            entries.stream()
                .filter(entry -> refName.get().equals(entry.annotations().get(REF_NAME)))
                .toList();
        if (named.size() == 1) {
          return Optional.of(named.get(0));
        }
        problems.add(
            named.isEmpty()
                ? "index.json has no entry named "
                    + ArchiveNames.quote(refName.get())
                    + " (its names: "
                    + namesOf(entries)
                    + ")"
                : "index.json names "
                    + named.size()
                    + " entries "
                    + ArchiveNames.quote(refName.get()));
        return Optional.empty();
      }
      if (entries.size() == 1) {
        return Optional.of(entries.get(0));
      }
      problems.add(
          entries.isEmpty()
              ? "index.json lists no image"
              : "index.json lists "
                  + entries.size()
                  + " images, so one must be chosen by its "
                  + REF_NAME
                  + " annotation: "
                  + namesOf(entries));
      return Optional.empty();
    }

    private static String namesOf(List<Descriptor> entries) {
      List<String> names =
          entries.stream()
              .map(entry -> entry.annotations().get(REF_NAME))
              .filter(Objects::nonNull)
              .map(ArchiveNames::quote)
              .toList();
      long unnamed = entries.size() - names.size();
      String listed = names.isEmpty() ? "none is named" : String.join(", ", names);
      return unnamed == 0 ? listed : listed + " and " + unnamed + " without a name";
    }

    private Optional<ManifestBytes> visit(
        Descriptor descriptor, int depth, Deque<String> path, boolean isRoot) throws IOException {
      String digest = descriptor.digest();
      if (!MediaTypes.isManifest(descriptor.mediaType())) {
        problems.add(
            "manifest "
                + digest
                + " has media type "
                + ArchiveNames.quote(descriptor.mediaType())
                + ", not an image manifest or index");
        return Optional.empty();
      }
      if (path.contains(digest)) {
        problems.add("index " + digest + " contains itself");
        return Optional.empty();
      }
      if (depth > MAX_NESTING) {
        problems.add("indexes nest more than " + MAX_NESTING + " deep below " + path.peekLast());
        return Optional.empty();
      }
      ManifestBytes known = read.get(digest);
      if (known != null) {
        return Optional.of(known);
      }
      Optional<ManifestBytes> found = readManifest(descriptor);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      ManifestBytes manifest = found.get();
      byte[] bytes = manifest.bytes();
      try {
        if (manifest.isIndex()) {
          List<Descriptor> entries =
              DescriptorReader.index(bytes, Optional.of(descriptor.mediaType()));
          path.push(digest);
          for (Descriptor entry : entries) {
            visit(entry, depth + 1, path, false).ifPresent(children::add);
          }
          path.pop();
          if (isRoot) {
            namePlatforms(entries);
          }
        } else {
          ImageDescriptors image = DescriptorReader.image(bytes, descriptor.mediaType());
          for (Descriptor blob : image.blobs()) {
            locateBlob(blob, digest);
          }
        }
      } catch (DescriptorReader.InvalidDocumentException e) {
        e.problems().forEach(problem -> problems.add("manifest " + digest + ": " + problem));
        return Optional.empty();
      }
      read.put(digest, manifest);
      return Optional.of(manifest);
    }

    private Optional<ManifestBytes> readManifest(Descriptor descriptor) throws IOException {
      String digest = descriptor.digest();
      if (descriptor.size() > MAX_MANIFEST_BYTES) {
        problems.add(
            "manifest "
                + digest
                + " is "
                + descriptor.size()
                + " bytes, more than the "
                + MAX_MANIFEST_BYTES
                + " a registry accepts");
        return Optional.empty();
      }
      Optional<ArchiveFile> file = files.file(blobName(digest), problems);
      if (file.isEmpty()) {
        return Optional.empty();
      }
      if (file.get().size() != descriptor.size()) {
        problems.add(
            "manifest "
                + digest
                + " is "
                + file.get().size()
                + " bytes, but its descriptor says "
                + descriptor.size());
        return Optional.empty();
      }
      ManifestBytes manifest =
          ManifestBytes.of(descriptor.mediaType(), file.get().readSmall(MAX_MANIFEST_BYTES));
      if (!manifest.digest().equals(digest)) {
        problems.add("manifest " + digest + " holds content whose digest is " + manifest.digest());
        return Optional.empty();
      }
      return Optional.of(manifest);
    }

    private void locateBlob(Descriptor blob, String manifest) {
      Long known = blobSizes.putIfAbsent(blob.digest(), blob.size());
      if (known != null) {
        if (known != blob.size()) {
          problems.add(
              "blob " + blob.digest() + " is listed with sizes " + known + " and " + blob.size());
        }
        return;
      }
      List<String> found = new ArrayList<>();
      Optional<ArchiveFile> file = files.file(blobName(blob.digest()), found);
      if (file.isEmpty()) {
        found.forEach(
            problem ->
                problems.add(
                    "blob " + blob.digest() + " of manifest " + manifest + ": " + problem));
      } else if (file.get().size() != blob.size()) {
        problems.add(
            "blob "
                + blob.digest()
                + " is "
                + file.get().size()
                + " bytes, but manifest "
                + manifest
                + " says "
                + blob.size());
      } else {
        blobs.put(blob.digest(), file.get());
      }
    }

    private void namePlatforms(List<Descriptor> entries) {
      for (Descriptor entry : entries) {
        boolean image = !MediaTypes.isIndex(entry.mediaType());
        if (image
            && !entry.isAttestation()
            && entry.platform().isPresent()
            && read.containsKey(entry.digest())) {
          platforms.putIfAbsent(entry.platform().get().key(), entry.digest());
        }
      }
    }

    void verifyBlobs() throws IOException {
      for (Map.Entry<String, ArchiveFile> blob : blobs.entrySet()) {
        Hashed hashed = ContentHash.of(blob.getValue().content());
        if (hashed.size() != blob.getValue().size()) {
          problems.add(
              "blob "
                  + blob.getKey()
                  + " read as "
                  + hashed.size()
                  + " bytes, not "
                  + blob.getValue().size());
        } else if (!hashed.digest().equals(blob.getKey())) {
          problems.add(
              "blob " + blob.getKey() + " holds content whose digest is " + hashed.digest());
        }
      }
    }

    ImageInHand image() {
      ImageInHand.Builder image = ImageInHand.withRoot(root);
      children.forEach(image::child);
      blobs.forEach((digest, file) -> image.blob(new Blob(digest, file.size(), file.content())));
      platforms.forEach(image::platform);
      return image.build();
    }

    private static String blobName(String digest) {
      return "blobs/sha256/" + digest.substring("sha256:".length());
    }
  }
}
