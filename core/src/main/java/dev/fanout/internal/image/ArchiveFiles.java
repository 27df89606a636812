package dev.fanout.internal.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The files of an image archive or layout, found only by names that stay inside it: a folder read
 * without following links, or a tar read in place.
 */
interface ArchiveFiles {

  /**
   * Opens a folder or a tar, whichever the path is.
   *
   * @param path the folder or tar
   * @param problems where a tar's unsafe entries are listed, every one of them
   * @return the files
   * @throws java.io.IOException when the path cannot be read at all
   */
  static ArchiveFiles open(Path path, List<String> problems) throws java.io.IOException {
    return Files.isDirectory(path) ? new FolderFiles(path) : TarFiles.scan(path, problems);
  }

  /**
   * Looks a plain file up.
   *
   * @param name a relative name; one that leaves the archive is refused
   * @param problems where the reason is added when the file is absent, unsafe or not a plain file
   * @return the file, or empty when a problem was added
   */
  Optional<ArchiveFile> file(String name, List<String> problems);
}
