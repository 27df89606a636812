package dev.fanout.internal.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * An image source that cannot be read: an archive or layout that is unsafe, inconsistent or
 * unreadable. The message names the source and lists every problem found, on one line, so a caller
 * can show it as it is; archive text in it (entry names, link targets) is quoted with its control
 * characters escaped.
 */
public final class ImageReadException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path source;
  private final List<String> problems;

  /**
   * A refusal.
   *
   * @param kind what the source is, for example {@code "OCI layout"}
   * @param source the path the caller gave
   * @param problems every problem found, at least one
   * @param cause the I/O failure behind the problems, or null
   */
  ImageReadException(String kind, Path source, List<String> problems, Throwable cause) {
    super(message(kind, source, problems), cause);
    this.source = Objects.requireNonNull(source, "source");
    this.problems = List.copyOf(problems);
  }

  /** The archive or layout that was refused. */
  public Path source() {
    return source;
  }

  /** Every problem found, each a sentence naming the entry or file it is about. */
  public List<String> problems() {
    return problems;
  }

  private static String message(String kind, Path source, List<String> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a refusal needs at least one problem");
    }
    String count = problems.size() == 1 ? "1 problem" : problems.size() + " problems";
    return kind + " " + source + " is refused, " + count + ": " + String.join("; ", problems);
  }
}
