package dev.fanout.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Archives shaped like {@code docker save} output (classic layout: {@code manifest.json}, a {@code
 * <hex>.json} config, {@code <id>/layer.tar} uncompressed layers, {@code repositories}), written
 * byte for byte the same on every run; and hostile variants a reader must refuse without reading
 * anything outside the archive.
 */
public final class DockerArchives {

  private DockerArchives() {}

  /**
   * What an archive holds.
   *
   * @param path the tarball
   * @param repoTags the repo tags of its images, in {@code manifest.json} order
   * @param configDigest the digest of the (first) image's config bytes
   * @param diffIds the (first) image's layer diff_ids
   */
  public record Archive(
      Path path, List<String> repoTags, String configDigest, List<String> diffIds) {}

  /**
   * One image of two uncompressed layers, as {@code docker save} writes it.
   *
   * @param file the tarball to write
   * @param repoTag its repo tag, such as {@code demo/app:1}
   * @return what was written
   */
  public static Archive dockerSave(Path file, String repoTag) {
    return write(file, new Save(repoTag));
  }

  /**
   * One image whose second layer is already gzip-compressed, which a reader keeps as it is.
   *
   * @param file the tarball to write
   * @param repoTag its repo tag
   * @return what was written
   */
  public static Archive withGzipLayer(Path file, String repoTag) {
    Save save = new Save(repoTag);
    save.gzipSecondLayer = true;
    return write(file, save);
  }

  /**
   * Two images (different content) in one archive, as {@code docker save a b} writes.
   *
   * @param file the tarball to write
   * @param firstTag the first image's repo tag
   * @param secondTag the second image's repo tag
   * @return what was written; config and diff_ids are the first image's
   */
  public static Archive twoImages(Path file, String firstTag, String secondTag) {
    Save save = new Save(firstTag);
    save.secondImageTag = secondTag;
    return write(file, save);
  }

  /**
   * A hostile archive whose {@code manifest.json} gives {@code layerPath} as the second layer, such
   * as {@code ../../etc/passwd} or {@code /proc/self/environ}.
   *
   * @param file the tarball to write
   * @param layerPath the path {@code manifest.json} lists
   * @return the tarball
   */
  public static Path withLayerPath(Path file, String layerPath) {
    Save save = new Save("hostile/app:1");
    save.secondLayerPath = layerPath;
    return write(file, save).path();
  }

  /**
   * A hostile archive whose second layer entry is a symbolic link, such as to {@code
   * /proc/self/environ}, the CI job's secrets.
   *
   * @param file the tarball to write
   * @param target the link's target
   * @return the tarball
   */
  public static Path withSymlinkLayer(Path file, String target) {
    Save save = new Save("hostile/app:1");
    save.symlinkTarget = target;
    return write(file, save).path();
  }

  /**
   * A hostile archive whose second layer entry is a hard link.
   *
   * @param file the tarball to write
   * @param target the link's target
   * @return the tarball
   */
  public static Path withHardLinkLayer(Path file, String target) {
    Save save = new Save("hostile/app:1");
    save.hardLinkTarget = target;
    return write(file, save).path();
  }

  /**
   * A hostile archive that also holds an entry with the given name, such as {@code ../escape} or
   * {@code /tmp/absolute}, besides a character device {@code dev/null} when {@code withDevice}.
   *
   * @param file the tarball to write
   * @param entryName the extra entry's name
   * @param withDevice whether to add a device entry too
   * @return the tarball
   */
  public static Path withExtraEntry(Path file, String entryName, boolean withDevice) {
    Save save = new Save("hostile/app:1");
    save.extraEntry = entryName;
    save.device = withDevice;
    return write(file, save).path();
  }

  /**
   * An archive whose config lists a diff_id that is not the digest of the second layer.
   *
   * @param file the tarball to write
   * @return the tarball
   */
  public static Path withWrongDiffId(Path file) {
    Save save = new Save("hostile/app:1");
    save.wrongDiffId = true;
    return write(file, save).path();
  }

  /**
   * An archive whose config file is named by a digest its content does not have.
   *
   * @param file the tarball to write
   * @return the tarball
   */
  public static Path withMisnamedConfig(Path file) {
    Save save = new Save("hostile/app:1");
    save.misnamedConfig = true;
    return write(file, save).path();
  }

  /**
   * One image as Docker 25 and later save it: config and layers stored as {@code
   * blobs/sha256/<hex>}, named by their digests (the layers by their diff_ids, being uncompressed).
   *
   * @param file the tarball to write
   * @param repoTag its repo tag
   * @return what was written
   */
  public static Archive withBlobNames(Path file, String repoTag) {
    Save save = new Save(repoTag);
    save.blobNames = true;
    return write(file, save);
  }

  /**
   * Like {@link #withBlobNames}, but the second layer is stored under a digest that is not its
   * content's.
   *
   * @param file the tarball to write
   * @return the tarball
   */
  public static Path withMisnamedLayer(Path file) {
    Save save = new Save("hostile/app:1");
    save.blobNames = true;
    save.misnamedLayer = true;
    return write(file, save).path();
  }

  /**
   * An archive whose second layer is gzip cut in half.
   *
   * @param file the tarball to write
   * @return the tarball
   */
  public static Path withDamagedGzipLayer(Path file) {
    Save save = new Save("hostile/app:1");
    save.damagedGzip = true;
    return write(file, save).path();
  }

  /** What to write; the defaults give a plain, valid archive of one image. */
  private static final class Save {
    final String repoTag;
    String secondImageTag;
    boolean gzipSecondLayer;
    String secondLayerPath;
    String symlinkTarget;
    String hardLinkTarget;
    String extraEntry;
    boolean device;
    boolean wrongDiffId;
    boolean misnamedConfig;
    boolean blobNames;
    boolean misnamedLayer;
    boolean damagedGzip;

    Save(String repoTag) {
      this.repoTag = repoTag;
    }
  }

  private static Archive write(Path file, Save save) {
    List<String> tags = new ArrayList<>(List.of(save.repoTag));
    try (TarWriter tar = TarWriter.to(file)) {
      Image first = image(tar, save, "first");
      String manifest = "[" + first.manifestEntry(save.repoTag);
      if (save.secondImageTag != null) {
        Save plain = new Save(save.secondImageTag);
        manifest += "," + image(tar, plain, "second").manifestEntry(save.secondImageTag);
        tags.add(save.secondImageTag);
      }
      manifest += "]\n";
      if (save.extraEntry != null) {
        tar.file(save.extraEntry, "not part of any image\n".getBytes(StandardCharsets.UTF_8));
      }
      if (save.device) {
        tar.characterDevice("dev/null");
      }
      tar.file("manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
      tar.file(
          "repositories",
          ("{\""
                  + save.repoTag.replaceFirst(":[^:/]*$", "")
                  + "\":{\""
                  + save.repoTag.replaceFirst(".*:", "")
                  + "\":\""
                  + first.topId
                  + "\"}}\n")
              .getBytes(StandardCharsets.UTF_8));
      return new Archive(file, List.copyOf(tags), first.configDigest, first.diffIds);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One image's entries, written; what {@code manifest.json} says about it. */
  private record Image(
      String configName,
      String configDigest,
      List<String> layerPaths,
      List<String> diffIds,
      String topId) {

    String manifestEntry(String repoTag) {
      return "{\"Config\":\""
          + configName
          + "\",\"RepoTags\":[\""
          + repoTag
          + "\"],\"Layers\":[\""
          + String.join("\",\"", layerPaths)
          + "\"]}";
    }
  }

  private static Image image(TarWriter tar, Save save, String which) throws IOException {
    byte[] base = TarWriter.inMemory("etc/fixture-release", "fanout docker fixture\n");
    byte[] app =
        TarWriter.inMemory(
            "app/run.sh", "#!/bin/sh\necho " + which + " " + OciLayouts.NON_ASCII + "\n");
    List<String> diffIds = new ArrayList<>(List.of(Digests.sha256(base), Digests.sha256(app)));
    List<String> paths = new ArrayList<>();
    String parent = "";
    if (save.blobNames && which.equals("first")) {
      tar.folder("blobs").folder("blobs/sha256");
    }
    for (int i = 0; i < 2; i++) {
      boolean second = i == 1;
      String id =
          Digests.sha256(
                  (which + " v1 " + diffIds.get(i) + parent).getBytes(StandardCharsets.UTF_8))
              .substring(7);
      String path;
      if (save.blobNames) {
        path =
            "blobs/sha256/"
                + (second && save.misnamedLayer
                    ? Digests.sha256(base).substring(7).replace('a', 'b').replace('0', '1')
                    : diffIds.get(i).substring(7));
      } else {
        path = id + "/layer.tar";
        tar.folder(id);
        tar.file(id + "/VERSION", "1.0".getBytes(StandardCharsets.UTF_8));
        tar.file(
            id + "/json",
            ("{\"id\":\""
                    + id
                    + "\""
                    + (parent.isEmpty() ? "" : ",\"parent\":\"" + parent + "\"")
                    + "}")
                .getBytes(StandardCharsets.UTF_8));
      }
      if (second && save.symlinkTarget != null) {
        tar.symlink(path, save.symlinkTarget);
      } else if (second && save.hardLinkTarget != null) {
        tar.hardLink(path, save.hardLinkTarget);
      } else if (second && save.gzipSecondLayer) {
        tar.file(path, TarWriter.gzip(app));
      } else if (second && save.damagedGzip) {
        byte[] gzip = TarWriter.gzip(app);
        tar.file(path, Arrays.copyOf(gzip, gzip.length / 2));
      } else {
        tar.file(path, second ? app : base);
      }
      paths.add(second && save.secondLayerPath != null ? save.secondLayerPath : path);
      parent = id;
    }
    List<String> listed = new ArrayList<>(diffIds);
    if (save.wrongDiffId) {
      listed.set(1, Digests.sha256("another layer".getBytes(StandardCharsets.UTF_8)));
    }
    byte[] config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":"
                + "[\"/app/run.sh\"]},\"created\":\"1970-01-01T00:00:00Z\",\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\""
                + String.join("\",\"", listed)
                + "\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    String configDigest = Digests.sha256(config);
    String configHex =
        (save.misnamedConfig
                ? Digests.sha256("something else".getBytes(StandardCharsets.UTF_8))
                : configDigest)
            .substring(7);
    String configName = save.blobNames ? "blobs/sha256/" + configHex : configHex + ".json";
    tar.file(configName, config);
    return new Image(configName, Objects.requireNonNull(configDigest), paths, diffIds, parent);
  }
}
