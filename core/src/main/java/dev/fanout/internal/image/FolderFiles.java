package dev.fanout.internal.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;

/**
 * The files of a layout folder. Every name is resolved segment by segment under the folder and no
 * link is followed, neither on the way nor at the end, and every open refuses a link again ({@code
 * O_NOFOLLOW}), so a link swapped in after the check still reads nothing outside.
 */
final class FolderFiles implements ArchiveFiles {

  private final Path root;

  FolderFiles(Path root) {
    this.root = root;
  }

  @Override
  public Optional<ArchiveFile> file(String name, List<String> problems) {
    Optional<String> unsafe = ArchiveNames.problem(name);
    if (unsafe.isPresent()) {
      problems.add(ArchiveNames.quote(name) + " " + unsafe.get());
      return Optional.empty();
    }
    String normalized = ArchiveNames.normalize(name);
    String[] segments = normalized.split("/");
    Path path = root;
    for (int i = 0; i < segments.length; i++) {
      path = path.resolve(segments[i]);
      String sofar = String.join("/", List.of(segments).subList(0, i + 1));
      BasicFileAttributes attributes;
      try {
        attributes =
            Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        problems.add(ArchiveNames.quote(normalized) + " is missing");
        return Optional.empty();
      } catch (IOException e) {
        problems.add(
            ArchiveNames.quote(sofar) + " cannot be read: " + e.getClass().getSimpleName());
        return Optional.empty();
      }
      boolean last = i == segments.length - 1;
      if (attributes.isSymbolicLink()) {
        problems.add(
            ArchiveNames.quote(sofar)
                + " is a symbolic link (a layout's files must be"
                + " plain files inside it)");
        return Optional.empty();
      }
      if (last && !attributes.isRegularFile()) {
        problems.add(ArchiveNames.quote(sofar) + " is not a plain file");
        return Optional.empty();
      }
      if (!last && !attributes.isDirectory()) {
        problems.add(ArchiveNames.quote(sofar) + " is not a folder");
        return Optional.empty();
      }
      if (last) {
        Path file = path;
        return Optional.of(
            new ArchiveFile(
                normalized,
                attributes.size(),
                () -> Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)));
      }
    }
    problems.add(ArchiveNames.quote(name) + " names no file");
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "folder " + root;
  }
}
