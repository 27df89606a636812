package dev.fanout.internal.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * The files of a tar, read in place: scanning reads only the headers, and each file's content is
 * its region of the tar, never extracted or held in memory.
 *
 * <p>Every entry must be a plain file or a folder with a name inside the archive; links, devices,
 * FIFOs, sparse files, names with {@code ..} or absolute names and names given twice are refused,
 * all of them listed. A refused entry is never read.
 */
final class TarFiles implements ArchiveFiles {

  /** The first two bytes of gzip; a compressed tar must be decompressed by the caller first. */
  private static final int GZIP_MAGIC_0 = 0x1f;

  private static final int GZIP_MAGIC_1 = 0x8b;

  private final Path tar;
  private final Map<String, TarArchiveEntry> files;

  private TarFiles(Path tar, Map<String, TarArchiveEntry> files) {
    this.tar = tar;
    this.files = files;
  }

  /**
   * Reads a tar's headers and checks every entry.
   *
   * @param tar the tar file
   * @param problems where every unsafe entry is listed
   * @return the plain files, by normalized name
   * @throws IOException when the file is not a readable tar
   */
  static TarFiles scan(Path tar, List<String> problems) throws IOException {
    try (InputStream in = Files.newInputStream(tar)) {
      if (in.read() == GZIP_MAGIC_0 && in.read() == GZIP_MAGIC_1) {
        throw new ArchiveProblem("it is gzip-compressed (give Fanout the uncompressed tar)");
      }
    }
    Map<String, TarArchiveEntry> files = new HashMap<>();
    Set<String> folders = new HashSet<>();
    Set<String> twice = new TreeSet<>();
    try (TarFile archive = new TarFile(tar)) {
      for (TarArchiveEntry entry : archive.getEntries()) {
        String name = entry.getName();
        if (entry.isGlobalPaxHeader()) {
          continue;
        }
        Optional<String> unsafe = ArchiveNames.problem(name);
        if (unsafe.isPresent()) {
          problems.add("entry " + ArchiveNames.quote(name) + " " + unsafe.get());
          continue;
        }
        Optional<String> kind = unsupportedKind(entry);
        if (kind.isPresent()) {
          problems.add("entry " + ArchiveNames.quote(name) + " " + kind.get());
          continue;
        }
        String normalized = ArchiveNames.normalize(name);
        if (entry.isDirectory()) {
          folders.add(normalized);
        } else if (!twice.contains(normalized) && files.putIfAbsent(normalized, entry) != null) {
          twice.add(normalized);
        }
      }
    }
    for (String name : files.keySet()) {
      if (folders.contains(name)) {
        twice.add(name);
      }
    }
    for (String name : twice) {
      problems.add(
          "entry "
              + ArchiveNames.quote(name)
              + " appears more than once, so which one counts is unclear");
      files.remove(name);
    }
    return new TarFiles(tar, files);
  }

  private static Optional<String> unsupportedKind(TarArchiveEntry entry) {
    if (entry.isSymbolicLink()) {
      return Optional.of(
          "is a symbolic link to "
              + ArchiveNames.quote(entry.getLinkName())
              + " (only plain files and folders are accepted)");
    }
    if (entry.isLink()) {
      return Optional.of(
          "is a hard link to "
              + ArchiveNames.quote(entry.getLinkName())
              + " (only plain files and folders are accepted)");
    }
    if (entry.isCharacterDevice() || entry.isBlockDevice()) {
      return Optional.of("is a device (only plain files and folders are accepted)");
    }
    if (entry.isFIFO()) {
      return Optional.of("is a FIFO (only plain files and folders are accepted)");
    }
    if (entry.isSparse()) {
      return Optional.of("is a sparse file (only plain files and folders are accepted)");
    }
    if (!entry.isFile() && !entry.isDirectory()) {
      return Optional.of("is not a plain file or folder");
    }
    return Optional.empty();
  }

  @Override
  public Optional<ArchiveFile> file(String name, List<String> problems) {
    Optional<String> unsafe = ArchiveNames.problem(name);
    if (unsafe.isPresent()) {
      problems.add(ArchiveNames.quote(name) + " " + unsafe.get());
      return Optional.empty();
    }
    String normalized = ArchiveNames.normalize(name);
    TarArchiveEntry entry = files.get(normalized);
    if (entry == null) {
      problems.add(ArchiveNames.quote(normalized) + " is missing or not a plain file");
      return Optional.empty();
    }
    return Optional.of(
        new ArchiveFile(
            normalized,
            entry.getSize(),
            new FileRegion(tar, entry.getDataOffset(), entry.getSize())));
  }

  @Override
  public String toString() {
    return "tar " + tar;
  }
}
