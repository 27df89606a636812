package dev.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.GitRef.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local fallback against real repositories made with the git command, in the layouts that make
 * reading {@code .git} by hand error-prone.
 */
@DisplayName("The ref of a local checkout")
class LocalGitTest {

  @TempDir Path folder;

  @Test
  @DisplayName("is the checked-out branch, slashes and all, with its commit")
  void branch() throws Exception {
    Path repository = repositoryWithCommit();
    git(repository, "checkout", "-q", "-b", "feature/login");
    GitRef ref = LocalGit.read(repository.resolve("sub"));
    assertEquals(
        new GitRef(Kind.BRANCH, "feature/login", Optional.of(head(repository)), "local git"), ref);
  }

  @Test
  @DisplayName(
      "is the version tag a detached HEAD sits on, with the tag packed and its object in a pack")
  void packedAnnotatedTag() throws Exception {
    Path repository = repositoryWithCommit();
    git(repository, "tag", "-a", "-m", "release", "v1.2.3");
    git(repository, "gc", "-q");
    git(repository, "checkout", "-q", "--detach", "v1.2.3");
    assertTrue(
        Files.readString(repository.resolve(".git/packed-refs")).contains("refs/tags/v1.2.3"));
    assertEquals(Kind.TAG, LocalGit.read(repository).kind());
    assertEquals("v1.2.3", LocalGit.read(repository).name());
  }

  @Test
  @DisplayName("prefers the release over a pre-release and a non-version tag on the same commit")
  void releaseTagFirst() throws Exception {
    Path repository = repositoryWithCommit();
    git(repository, "tag", "nightly");
    git(repository, "tag", "v1.2.3-rc.2");
    git(repository, "tag", "v1.2.3");
    git(repository, "checkout", "-q", "--detach", "HEAD");
    assertEquals("v1.2.3", LocalGit.read(repository).name());
  }

  @Test
  @DisplayName("is no ref, but keeps the commit, for a detached HEAD without a tag")
  void detachedWithoutTag() throws Exception {
    Path repository = repositoryWithCommit();
    git(repository, "checkout", "-q", "--detach", "HEAD");
    GitRef ref = LocalGit.read(repository);
    assertEquals(Kind.NONE, ref.kind());
    assertEquals(Optional.of(head(repository)), ref.sha());
    assertTrue(ref.source().contains("detached HEAD"), ref::toString);
  }

  @Test
  @DisplayName("is the worktree's own branch in a linked worktree, whose .git is a file")
  void worktree() throws Exception {
    Path repository = repositoryWithCommit();
    Path worktree = folder.resolve("other-worktree");
    git(repository, "worktree", "add", "-q", "-b", "release/2.x", worktree.toString());
    assertTrue(Files.isRegularFile(worktree.resolve(".git")));
    GitRef ref = LocalGit.read(worktree);
    assertEquals(Kind.BRANCH, ref.kind());
    assertEquals("release/2.x", ref.name());
  }

  @Test
  @DisplayName("is the branch without a commit in a repository that has none yet")
  void unbornBranch() throws Exception {
    Path repository = Files.createDirectories(folder.resolve("empty"));
    git(repository, "init", "-q");
    git(repository, "symbolic-ref", "HEAD", "refs/heads/trunk");
    assertEquals(
        new GitRef(Kind.BRANCH, "trunk", Optional.empty(), "local git"), LocalGit.read(repository));
  }

  @Test
  @DisplayName("is no ref, with git's own reason, outside a repository")
  void outsideRepository() {
    GitRef ref = LocalGit.read(folder);
    assertEquals(Kind.NONE, ref.kind());
    assertTrue(ref.source().contains("not a git repository"), ref::toString);
  }

  @Test
  @DisplayName("is never asked when CI variables name the ref")
  void ciVariablesFirst() throws Exception {
    Path repository = repositoryWithCommit();
    git(repository, "checkout", "-q", "-b", "local-only");
    GitRef ref =
        GitRef.detect(
            Environment.of(Map.of("CI_COMMIT_SHA", "abc", "CI_COMMIT_BRANCH", "main"), repository));
    assertEquals(new GitRef(Kind.BRANCH, "main", Optional.of("abc"), "GitLab CI"), ref);
  }

  @Test
  @DisplayName("is read from the environment's working folder when no CI variables are set")
  void workingDirectoryOfEnvironment() throws Exception {
    Path repository = repositoryWithCommit();
    git(repository, "checkout", "-q", "-b", "from-environment");
    assertEquals("from-environment", GitRef.detect(Environment.of(Map.of(), repository)).name());
  }

  /** A repository with one commit, and a sub-folder to read it from. */
  private Path repositoryWithCommit() throws Exception {
    Path repository = Files.createDirectories(folder.resolve("repository"));
    git(repository, "init", "-q");
    Files.createDirectories(repository.resolve("sub"));
    Files.writeString(repository.resolve("sub/file.txt"), "content\n");
    git(repository, "add", ".");
    git(repository, "commit", "-q", "-m", "first");
    return repository;
  }

  private static String head(Path repository) throws Exception {
    return git(repository, "rev-parse", "HEAD").strip();
  }

  /** Runs git with no user or system configuration, as a fixed test user. */
  private static String git(Path directory, String... arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(arguments));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    Map<String, String> environment = builder.environment();
    environment.put("GIT_CONFIG_NOSYSTEM", "1");
    environment.put("GIT_CONFIG_GLOBAL", "/dev/null");
    environment.put("GIT_AUTHOR_NAME", "Fanout Test");
    environment.put("GIT_AUTHOR_EMAIL", "test@fanout.invalid");
    environment.put("GIT_COMMITTER_NAME", "Fanout Test");
    environment.put("GIT_COMMITTER_EMAIL", "test@fanout.invalid");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), "git " + String.join(" ", arguments) + ": " + output);
    return output;
  }
}
