package dev.fanout;

import dev.fanout.GitRef.Kind;
import dev.fanout.internal.git.Semver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads the ref of a local checkout with the {@code git} command.
 *
 * <p>The command rather than reading {@code .git} by hand or JGit: git itself knows every layout a
 * repository can have (packed refs, worktrees and submodules whose {@code .git} is a file, the
 * reftable format, annotated tags whose objects sit in pack files), which a hand-written reader
 * would each have to learn, and JGit would add 2.5 MB to every user's class path for a lookup that
 * happens only outside CI, where git is installed anyway. When git is missing or refuses the
 * repository (a folder owned by another user), its message becomes the reason no ref is known.
 */
final class LocalGit {

  /** The source a ref read here names. */
  static final String SOURCE = "local git";

  /** How long one git command may take; reading refs is instant, so this only stops a hang. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private LocalGit() {}

  /**
   * The ref checked out in the repository around {@code directory}.
   *
   * @param directory a folder inside the repository
   * @return the ref; {@link Kind#NONE} with the reason when there is none
   */
  static GitRef read(Path directory) {
    try {
      Answer head = git(directory, "rev-parse", "--verify", "--quiet", "HEAD");
      if (head.failedLoudly()) {
        return none(Optional.empty(), "no CI variables, and git says: " + head.firstErrorLine());
      }
      Optional<String> sha = head.ok() ? Optional.of(head.output()) : Optional.empty();
      Answer branch = git(directory, "symbolic-ref", "--quiet", "--short", "HEAD");
      if (branch.ok()) {
        return new GitRef(Kind.BRANCH, branch.output(), sha, SOURCE);
      }
      if (sha.isEmpty()) {
        return none(sha, SOURCE + ", no commit checked out");
      }
      Answer tags = git(directory, "tag", "--points-at", "HEAD", "--sort=-version:refname");
      return chooseTag(tags.ok() ? tags.output().lines().toList() : List.of())
          .map(tag -> new GitRef(Kind.TAG, tag, sha, SOURCE))
          .orElseGet(() -> none(sha, SOURCE + ", a detached HEAD that no tag points at"));
    } catch (IOException e) {
      return none(Optional.empty(), "no CI variables, and git cannot be run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return none(Optional.empty(), "interrupted while asking git for the ref");
    }
  }

  /**
   * The tag a detached checkout stands for when several point at it: a plain release first (a
   * commit promoted from {@code v1.2.3-rc.2} to {@code v1.2.3} is the release), then any version,
   * then any tag; within each, git's version order, highest first.
   */
  static Optional<String> chooseTag(List<String> tags) {
    return tags.stream()
        .filter(tag -> Semver.parse(tag).filter(Semver::stable).isPresent())
        .findFirst()
        .or(() -> tags.stream().filter(tag -> Semver.parse(tag).isPresent()).findFirst())
        .or(() -> tags.stream().filter(tag -> !tag.isBlank()).findFirst());
  }

  private static GitRef none(Optional<String> sha, String why) {
    return new GitRef(Kind.NONE, "", sha, why);
  }

  private static Answer git(Path directory, String... arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(arguments));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(directory.toAbsolutePath().toFile());
    builder.environment().put("LC_ALL", "C");
    Process process = builder.start();
    process.getOutputStream().close();
    // Waiting before reading is safe: these commands print a few lines, far below a pipe's buffer.
    if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IOException(
          "git " + arguments[0] + " did not finish within " + TIMEOUT.toSeconds() + " s");
    }
    return new Answer(
        process.exitValue(),
        read(process.getInputStream()).strip(),
        read(process.getErrorStream()).strip());
  }

  private static String read(InputStream stream) throws IOException {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** What one git command printed. */
  private record Answer(int exit, String output, String errors) {
    boolean ok() {
      return exit == 0;
    }

    /** Failed with a message, as outside a repository; {@code --quiet} failures print nothing. */
    boolean failedLoudly() {
      return exit != 0 && !errors.isEmpty();
    }

    String firstErrorLine() {
      return errors.lines().findFirst().orElse("exit " + exit);
    }
  }
}
