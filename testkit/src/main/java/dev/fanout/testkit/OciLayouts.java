package dev.fanout.testkit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * OCI image layouts for tests, written byte by byte so every digest is known before anything reads
 * them, and the same on every run. The JSON is written by hand, with a fixed key order and some
 * uneven whitespace, so that any reader or pusher that re-serializes a manifest changes its digest
 * and is caught.
 */
public final class OciLayouts {

  /** Text outside ASCII, put in annotations, so a charset round trip shows in the digest. */
  public static final String NON_ASCII = "Zürich — 東京";

  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
  static final String OCI_LAYER_UNCOMPRESSED = "application/vnd.oci.image.layer.v1.tar";
  static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
  static final String REF_NAME = "org.opencontainers.image.ref.name";

  private OciLayouts() {}

  /**
   * What a layout holds, to compare a reader's result with.
   *
   * @param path the layout folder
   * @param refName the {@code org.opencontainers.image.ref.name} of the image's entry
   * @param digest the digest of the image's root manifest or index
   * @param mediaType the root's media type
   * @param platforms for an index, {@code os/arch[/variant]} to manifest digest, in index order;
   *     attestations are not platforms
   * @param attestations the digests of attestation manifests
   * @param manifests every manifest of the image, children first, root last
   * @param blobs every config and layer digest, in the order first referred to
   */
  public record Layout(
      Path path,
      String refName,
      String digest,
      String mediaType,
      Map<String, String> platforms,
      List<String> attestations,
      List<String> manifests,
      List<String> blobs) {

    /**
     * The bytes of a manifest or blob of the layout, read from {@code blobs/sha256}.
     *
     * @param digest its digest
     * @return the file's bytes
     */
    public byte[] bytesOf(String digest) {
      try {
        return Files.readAllBytes(path.resolve(Writer.blobName(digest)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * A layout shaped like {@code docker buildx build --platform linux/amd64,linux/arm64 --attest
   * type=provenance --output type=oci}: {@code index.json} names one OCI index, which has
   * index-level annotations (one of them {@link #NON_ASCII}), an unknown top-level field, an amd64
   * manifest (whose platform gives {@code os.version}), an arm64/v8 manifest (each with a config
   * and three real gzip layers, the first shared), and two attestation manifests with platform
   * {@code unknown/unknown} and the {@code vnd.docker.reference.*} annotations.
   *
   * @param folder an empty or absent folder
   * @return what was written
   */
  public static Layout buildx(Path folder) {
    Writer layout = new Writer(folder);
    String amd64 = layout.image(OCI_MANIFEST, OCI_CONFIG, OCI_LAYER, "amd64", 3);
    String arm64 = layout.image(OCI_MANIFEST, OCI_CONFIG, OCI_LAYER, "arm64", 3);
    String amd64Attestation = layout.attestation(amd64);
    String arm64Attestation = layout.attestation(arm64);
    String index =
        layout.manifest(
            OCI_INDEX,
            """
        {
          "schemaVersion": 2,
          "mediaType": "%s",
          "manifests": [
            %s,
            %s,
            %s,
            %s
          ],
          "annotations": {
            "org.opencontainers.image.created": "2026-12-01T00:00:00Z",
            "org.opencontainers.image.description": "%s",
            "org.opencontainers.image.source": "https://example.invalid/fanout/fixture"
          },
          "x-fanout-unknown-field":   {"kept": [1, 2.50, "three"]}
        }
        """
                .formatted(
                    OCI_INDEX,
                    layout.entry(
                        amd64,
                        "\"platform\": {\"architecture\": \"amd64\", \"os\": \"linux\", \"os.version\": \"6.1\"}"),
                    layout.entry(
                        arm64,
                        "\"platform\": {\"architecture\": \"arm64\", \"os\": \"linux\", \"variant\": \"v8\"}"),
                    layout.attestationDescriptor(amd64Attestation, amd64),
                    layout.attestationDescriptor(arm64Attestation, arm64),
                    NON_ASCII));
    layout.platforms.put("linux/amd64", amd64);
    layout.platforms.put("linux/arm64/v8", arm64);
    layout.attestations.addAll(List.of(amd64Attestation, arm64Attestation));
    return layout.finish(index, "buildx-demo:1", "");
  }

  /**
   * A layout of one OCI manifest with a config and two gzip layers, as {@code skopeo copy} or
   * {@code crane pull --format=oci} write for a single-platform image.
   *
   * @param folder an empty or absent folder
   * @return what was written
   */
  public static Layout singleManifest(Path folder) {
    Writer layout = new Writer(folder);
    String manifest = layout.image(OCI_MANIFEST, OCI_CONFIG, OCI_LAYER, "amd64", 2);
    return layout.finish(manifest, "single:1", "");
  }

  /**
   * A layout of one Docker v2s2 manifest (Docker config and layer media types).
   *
   * @param folder an empty or absent folder
   * @return what was written
   */
  public static Layout dockerManifest(Path folder) {
    Writer layout = new Writer(folder);
    String manifest = layout.image(DOCKER_MANIFEST, DOCKER_CONFIG, DOCKER_LAYER, "amd64", 2);
    return layout.finish(manifest, "docker-v2s2:1", "");
  }

  /**
   * A layout of a Docker manifest list of two Docker v2s2 manifests, amd64 and arm64/v8.
   *
   * @param folder an empty or absent folder
   * @return what was written
   */
  public static Layout dockerManifestList(Path folder) {
    Writer layout = new Writer(folder);
    String amd64 = layout.image(DOCKER_MANIFEST, DOCKER_CONFIG, DOCKER_LAYER, "amd64", 2);
    String arm64 = layout.image(DOCKER_MANIFEST, DOCKER_CONFIG, DOCKER_LAYER, "arm64", 2);
    String list =
        layout.manifest(
            DOCKER_LIST,
            """
        {
           "schemaVersion": 2,
           "mediaType": "%s",
           "manifests": [
              %s,
              %s
           ]
        }"""
                .formatted(
                    DOCKER_LIST,
                    layout.entry(
                        amd64, "\"platform\": {\"architecture\": \"amd64\", \"os\": \"linux\"}"),
                    layout.entry(
                        arm64,
                        "\"platform\": {\"architecture\": \"arm64\", \"os\": \"linux\", \"variant\": \"v8\"}")));
    layout.platforms.put("linux/amd64", amd64);
    layout.platforms.put("linux/arm64/v8", arm64);
    return layout.finish(list, "docker-list:1", "");
  }

  /**
   * A layout whose index lists another index (of an amd64 and an arm64/v8 manifest) next to an
   * s390x manifest: a nested index, as some tools write when they combine images.
   *
   * @param folder an empty or absent folder
   * @return what was written; its platforms are the root index's own image entries
   */
  public static Layout nestedIndex(Path folder) {
    Writer layout = new Writer(folder);
    String amd64 = layout.image(OCI_MANIFEST, OCI_CONFIG, OCI_LAYER, "amd64", 1);
    String arm64 = layout.image(OCI_MANIFEST, OCI_CONFIG, OCI_LAYER, "arm64", 1);
    String inner =
        layout.manifest(
            OCI_INDEX,
            """
        {"schemaVersion":2,"mediaType":"%s","manifests":[%s,%s]}"""
                .formatted(
                    OCI_INDEX,
                    layout.entry(
                        amd64, "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}"),
                    layout.entry(
                        arm64,
                        "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}")));
    String s390x = layout.image(OCI_MANIFEST, OCI_CONFIG, OCI_LAYER, "s390x", 1);
    String outer =
        layout.manifest(
            OCI_INDEX,
            """
        {"schemaVersion":2,"mediaType":"%s","manifests":[%s,%s]}"""
                .formatted(
                    OCI_INDEX,
                    layout.entry(inner, ""),
                    layout.entry(
                        s390x, "\"platform\":{\"architecture\":\"s390x\",\"os\":\"linux\"}")));
    layout.platforms.put("linux/s390x", s390x);
    return layout.finish(outer, "nested:1", "");
  }

  /**
   * A layout whose {@code index.json} lists two images, {@code first:1} (an amd64 manifest) and
   * {@code second:2} (an arm64 manifest), as {@code skopeo copy} writes when two tags are copied
   * into one layout.
   *
   * @param folder an empty or absent folder
   * @return the image named {@code first:1}
   */
  public static Layout twoNamedImages(Path folder) {
    Writer layout = new Writer(folder);
    String second = layout.image(OCI_MANIFEST, OCI_CONFIG, OCI_LAYER, "arm64", 1);
    String otherEntry =
        layout.entry(second, "\"annotations\": {\"" + REF_NAME + "\": \"second:2\"}");
    layout.manifests.clear();
    layout.blobs.clear();
    String first = layout.image(OCI_MANIFEST, OCI_CONFIG, OCI_LAYER, "amd64", 1);
    return layout.finish(first, "first:1", otherEntry);
  }

  /**
   * A layout of one OCI manifest whose only layer is an uncompressed tar holding one file of {@code
   * mebibytes} MiB of seeded random data, streamed to disk and hashed as it is written, never held
   * in memory.
   *
   * @param folder an empty or absent folder
   * @param mebibytes the size of the file in the layer
   * @param seed the seed of the data; the same seed gives the same digests
   * @return what was written
   */
  public static Layout bigLayer(Path folder, int mebibytes, long seed) {
    Writer layout = new Writer(folder);
    String layer = layout.bigTarLayer(mebibytes, seed);
    long layerSize = layout.sizes.get(layer);
    String config =
        layout.blob(
            ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":"
                    + "{\"type\":\"layers\",\"diff_ids\":[\""
                    + layer
                    + "\"]}}")
                .getBytes(StandardCharsets.UTF_8));
    String manifest =
        layout.manifest(
            OCI_MANIFEST,
            """
        {"schemaVersion":2,"mediaType":"%s","config":%s,"layers":[{"mediaType":"%s",\
        "digest":"%s","size":%d}]}"""
                .formatted(
                    OCI_MANIFEST,
                    layout.descriptor(OCI_CONFIG, config),
                    OCI_LAYER_UNCOMPRESSED,
                    layer,
                    layerSize));
    layout.blobs.clear();
    layout.blobs.addAll(List.of(config, layer));
    return layout.finish(manifest, "big:1", "");
  }

  /**
   * Writes a layout folder as a tar (an {@code oci-archive}): files in sorted order, streamed, time
   * 0, so the same folder always gives the same tar.
   *
   * @param layout the layout folder
   * @param tarFile the tar to write
   * @return {@code tarFile}
   */
  public static Path asTar(Path layout, Path tarFile) {
    try (TarWriter tar = TarWriter.to(tarFile);
        Stream<Path> walk = Files.walk(layout)) {
      for (Path path : walk.sorted().toList()) {
        String name = layout.relativize(path).toString().replace('\\', '/');
        if (name.isEmpty()) {
          continue;
        }
        if (Files.isDirectory(path)) {
          tar.folder(name);
        } else {
          tar.file(name, path);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tarFile;
  }

  /**
   * Copies an image of a layout into skopeo's {@code dir:} format (each blob under its hex digest,
   * the root as {@code manifest.json}, each child manifest as {@code <hex>.manifest.json}). skopeo
   * 1.9 reads only OCI media types from an OCI layout's {@code index.json}; from a {@code dir:} it
   * copies Docker v2s2 manifests and manifest lists too, byte for byte with {@code
   * --preserve-digests}.
   *
   * @param layout the layout
   * @param folder an absent or empty folder
   * @return {@code folder}, for {@code skopeo copy dir:<folder> ...}
   */
  public static Path asSkopeoDir(Layout layout, Path folder) {
    try {
      Files.createDirectories(folder);
      Files.writeString(folder.resolve("version"), "Directory Transport Version: 1.1\n");
      for (String blob : layout.blobs()) {
        Files.write(folder.resolve(blob.substring(7)), layout.bytesOf(blob));
      }
      for (String manifest : layout.manifests()) {
        String name =
            manifest.equals(layout.digest())
                ? "manifest.json"
                : manifest.substring(7) + ".manifest.json";
        Files.write(folder.resolve(name), layout.bytesOf(manifest));
      }
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the files of one layout and remembers what they are. */
  static final class Writer {

    final Path root;
    final Map<String, Long> sizes = new LinkedHashMap<>();
    final Map<String, String> mediaTypes = new LinkedHashMap<>();
    final Set<String> manifests = new LinkedHashSet<>();
    final Set<String> blobs = new LinkedHashSet<>();
    final Map<String, String> platforms = new LinkedHashMap<>();
    final List<String> attestations = new ArrayList<>();

    Writer(Path root) {
      this.root = root;
      try {
        Files.createDirectories(root.resolve("blobs/sha256"));
        Files.write(
            root.resolve("oci-layout"),
            "{\"imageLayoutVersion\": \"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    static String blobName(String digest) {
      return "blobs/sha256/" + digest.substring("sha256:".length());
    }

    /** Writes a blob; returns its digest. */
    String blob(byte[] bytes) {
      String digest = Digests.sha256(bytes);
      try {
        Files.write(root.resolve(blobName(digest)), bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      sizes.put(digest, (long) bytes.length);
      return digest;
    }

    /** Writes a manifest or index given as JSON text, in UTF-8; returns its digest. */
    String manifest(String mediaType, String json) {
      String digest = blob(json.getBytes(StandardCharsets.UTF_8));
      mediaTypes.put(digest, mediaType);
      manifests.add(digest);
      return digest;
    }

    /** A descriptor of a manifest written here, with more fields after the size when given. */
    String entry(String digest, String more) {
      String descriptor = descriptor(mediaTypes.get(digest), digest);
      return more.isEmpty()
          ? descriptor
          : descriptor.substring(0, descriptor.length() - 1) + ", " + more + "}";
    }

    /** A descriptor of any blob written here. */
    String descriptor(String mediaType, String digest) {
      return "{\"mediaType\": \""
          + mediaType
          + "\", \"digest\": \""
          + digest
          + "\", \"size\": "
          + sizes.get(digest)
          + "}";
    }

    /** The descriptor of an attestation manifest of {@code subject}, as buildx writes it. */
    String attestationDescriptor(String attestation, String subject) {
      return entry(
          attestation,
          "\"annotations\": {\"vnd.docker.reference.digest\": \""
              + subject
              + "\", \"vnd.docker.reference.type\": \"attestation-manifest\"},"
              + " \"platform\": {\"architecture\": \"unknown\", \"os\": \"unknown\"}");
    }

    /**
     * An image: a config and {@code layerCount} gzip layers, the first the same for every
     * architecture, the others naming it.
     */
    String image(
        String manifestType,
        String configType,
        String layerType,
        String architecture,
        int layerCount) {
      List<String> layers = new ArrayList<>();
      List<String> layerDigests = new ArrayList<>();
      List<String> diffIds = new ArrayList<>();
      for (int i = 0; i < layerCount; i++) {
        byte[] tar =
            i == 0
                ? TarWriter.inMemory("etc/fixture-release", "fanout fixture\n")
                : TarWriter.inMemory(
                    "app/layer-" + i + ".txt",
                    "layer " + i + " for " + architecture + ", " + NON_ASCII + "\n");
        diffIds.add(Digests.sha256(tar));
        String layer = blob(TarWriter.gzip(tar));
        layerDigests.add(layer);
        layers.add(descriptor(layerType, layer));
      }
      String config =
          blob(
              ("{\"architecture\":\""
                      + architecture
                      + "\",\"os\":\"linux\","
                      + "\"config\":{\"Cmd\":[\"/app/run\"],\"Labels\":{\"city\":\""
                      + NON_ASCII
                      + "\"}},"
                      + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                      + String.join("\",\"", diffIds)
                      + "\"]}}")
                  .getBytes(StandardCharsets.UTF_8));
      blobs.add(config);
      blobs.addAll(layerDigests);
      return manifest(
          manifestType,
          """
          {
            "schemaVersion": 2,
            "mediaType": "%s",
            "config": %s,
            "layers": [
              %s
            ],
            "annotations": {"org.opencontainers.image.title": "fixture %s"}
          }
          """
              .formatted(
                  manifestType,
                  descriptor(configType, config),
                  String.join(",\n      ", layers),
                  architecture));
    }

    /** An attestation manifest for {@code subject}: an in-toto statement as its only layer. */
    String attestation(String subject) {
      byte[] statement =
          ("{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"subject\":"
                  + "[{\"name\":\"fixture\",\"digest\":{\"sha256\":\""
                  + subject.substring(7)
                  + "\"}}],"
                  + "\"predicateType\":\"https://slsa.dev/provenance/v0.2\",\"predicate\":{}}")
              .getBytes(StandardCharsets.UTF_8);
      String layer = blob(statement);
      String config =
          blob(
              ("{\"architecture\":\"unknown\",\"os\":\"unknown\",\"config\":{},"
                      + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                      + layer
                      + "\"]}}")
                  .getBytes(StandardCharsets.UTF_8));
      blobs.add(config);
      blobs.add(layer);
      return manifest(
          OCI_MANIFEST,
          """
          {"schemaVersion": 2, "mediaType": "%s", "config": %s, "layers": [{"mediaType": \
          "application/vnd.in-toto+json", "digest": "%s", "size": %d, "annotations": \
          {"in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2"}}]}"""
              .formatted(OCI_MANIFEST, descriptor(OCI_CONFIG, config), layer, sizes.get(layer)));
    }

    /** A tar of one big file of seeded random data, streamed and hashed as written. */
    String bigTarLayer(int mebibytes, long seed) {
      Path partial = root.resolve("blobs/sha256/big-layer.partial");
      MessageDigest sha256;
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      // SplittableRandom, eight bytes at a time, is several times faster than Random.nextBytes.
      SplittableRandom random = new SplittableRandom(seed);
      byte[] chunk = new byte[1024 * 1024];
      LongBuffer longs = ByteBuffer.wrap(chunk).asLongBuffer();
      try {
        try (TarWriter tar =
            TarWriter.to(
                new DigestOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(partial), 1024 * 1024),
                    sha256))) {
          tar.file(
              "data/random.bin",
              (long) mebibytes * chunk.length,
              out -> {
                for (int i = 0; i < mebibytes; i++) {
                  longs.clear();
                  while (longs.hasRemaining()) {
                    longs.put(random.nextLong());
                  }
                  out.write(chunk);
                }
              });
        }
        String digest = "sha256:" + HexFormat.of().formatHex(sha256.digest());
        sizes.put(digest, Files.size(partial));
        Files.move(partial, root.resolve(blobName(digest)));
        blobs.add(digest);
        return digest;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * Writes {@code index.json} with the root's entry named {@code refName}, and more entries after
     * it when given.
     */
    Layout finish(String root, String refName, String moreEntries) {
      String entry = entry(root, "\"annotations\": {\"" + REF_NAME + "\": \"" + refName + "\"}");
      String index =
          "{\n  \"schemaVersion\": 2,\n  \"manifests\": ["
              + entry
              + (moreEntries.isEmpty() ? "" : ",\n    " + moreEntries)
              + "]\n}\n";
      try {
        Files.write(this.root.resolve("index.json"), index.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      manifests.remove(root);
      List<String> ordered = new ArrayList<>(manifests);
      ordered.add(root);
      return new Layout(
          this.root,
          refName,
          root,
          mediaTypes.get(root),
          new LinkedHashMap<>(platforms),
          List.copyOf(attestations),
          List.copyOf(ordered),
          List.copyOf(blobs));
    }
  }
}
