package dev.fanout.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Damages OCI layouts written by {@link OciLayouts}, the ways a reader must notice: a blob that is
 * a link out of the layout, content that does not match its digest or size, a missing blob, and
 * tars with link entries or names that leave the archive.
 */
public final class HostileLayouts {

  private HostileLayouts() {}

  /**
   * Replaces a blob of a layout folder with a symbolic link to a file outside it.
   *
   * @param layout the layout
   * @param digest the blob to replace
   * @param target the file outside, such as {@code /proc/self/environ}
   * @return the link's path
   */
  public static Path linkBlobOutside(OciLayouts.Layout layout, String digest, Path target) {
    Path blob = layout.path().resolve(OciLayouts.Writer.blobName(digest));
    try {
      Files.delete(blob);
      return Files.createSymbolicLink(blob, target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Changes one byte of a blob, keeping its size, so only its digest tells.
   *
   * @param layout the layout
   * @param digest the blob
   */
  public static void tamper(OciLayouts.Layout layout, String digest) {
    Path blob = layout.path().resolve(OciLayouts.Writer.blobName(digest));
    try {
      byte[] bytes = Files.readAllBytes(blob);
      bytes[bytes.length / 2] ^= 0x01;
      Files.write(blob, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Appends a byte to a blob, so its size differs from its descriptor's.
   *
   * @param layout the layout
   * @param digest the blob
   */
  public static void grow(OciLayouts.Layout layout, String digest) {
    Path blob = layout.path().resolve(OciLayouts.Writer.blobName(digest));
    try {
      Files.write(blob, new byte[] {(byte) 0x0a}, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Deletes a blob.
   *
   * @param layout the layout
   * @param digest the blob
   */
  public static void remove(OciLayouts.Layout layout, String digest) {
    try {
      Files.delete(layout.path().resolve(OciLayouts.Writer.blobName(digest)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes a layout as a tar in which one blob's entry is a symbolic link instead of a file.
   *
   * @param layout the layout folder
   * @param tarFile the tar to write
   * @param digest the blob whose entry becomes a link
   * @param target the link's target, such as {@code /proc/self/environ}
   * @return the tar
   */
  public static Path asTarWithSymlink(
      OciLayouts.Layout layout, Path tarFile, String digest, String target) {
    String linked = OciLayouts.Writer.blobName(digest);
    try (TarWriter tar = TarWriter.to(tarFile);
        Stream<Path> walk = Files.walk(layout.path())) {
      for (Path path : walk.sorted().toList()) {
        String name = layout.path().relativize(path).toString();
        if (name.isEmpty()) {
          continue;
        }
        if (Files.isDirectory(path)) {
          tar.folder(name);
        } else if (name.equals(linked)) {
          tar.symlink(name, target);
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
   * Writes a layout as a tar with one more entry, whose name may leave the archive (such as {@code
   * ../escape} or {@code /etc/absolute}).
   *
   * @param layout the layout folder
   * @param tarFile the tar to write
   * @param entryName the extra entry's name
   * @return the tar
   */
  public static Path asTarWithExtraEntry(OciLayouts.Layout layout, Path tarFile, String entryName) {
    try (TarWriter tar = TarWriter.to(tarFile);
        Stream<Path> walk = Files.walk(layout.path())) {
      tar.file(entryName, "outside\n".getBytes(StandardCharsets.UTF_8));
      for (Path path : walk.sorted().toList()) {
        String name = layout.path().relativize(path).toString();
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
}
