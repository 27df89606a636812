package dev.fanout.internal.image;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * An archive or layout that cannot be read at all, or a file in it that cannot be read whole; the
 * message is a complete problem, ready for {@link ImageReadException#problems()}.
 */
final class ArchiveProblem extends IOException {

  private static final long serialVersionUID = 1L;

  /**
   * A problem.
   *
   * @param problem a sentence fragment about the archive, such as {@code "it is gzip-compressed"}
   */
  ArchiveProblem(String problem) {
    super(problem);
  }

  /**
   * The problem an I/O failure makes, as one line.
   *
   * @param failure the failure
   * @return a sentence fragment about the archive
   */
  static String describe(IOException failure) {
    if (failure instanceof ArchiveProblem) {
      return failure.getMessage();
    }
    if (failure instanceof NoSuchFileException) {
      return "it does not exist";
    }
    if (failure instanceof AccessDeniedException) {
      return "it cannot be opened: permission denied";
    }
    return "it cannot be read ("
        + failure.getClass().getSimpleName()
        + ": "
        + ArchiveNames.escape(failure.getMessage())
        + ")";
  }
}
