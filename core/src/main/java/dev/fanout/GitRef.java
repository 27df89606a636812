package dev.fanout;

import java.util.Objects;
import java.util.Optional;

/**
 * The git ref a run builds: a branch, a tag or a pull request, with its commit. Ref conditions
 * ({@link Conditions#onBranch(String)}, {@link Conditions#onSemverTag()}, ...) and {@link TagRule}s
 * read it.
 *
 * <p>It is read from CI variables first: GitHub Actions ({@code GITHUB_EVENT_NAME}, {@code
 * GITHUB_REF_TYPE}, {@code GITHUB_REF_NAME}, {@code GITHUB_REF}, {@code GITHUB_HEAD_REF}, {@code
 * GITHUB_SHA}) and GitLab CI ({@code CI_COMMIT_TAG}, {@code CI_MERGE_REQUEST_IID}, {@code
 * CI_COMMIT_BRANCH}, {@code CI_COMMIT_SHA}). Without them, the {@code git} command is asked about
 * the repository around {@link Environment#workingDirectory()}: a checked-out branch is a branch; a
 * detached HEAD is a tag when a tag points at it (a version tag first), else no ref.
 *
 * @param kind what the ref is
 * @param name the branch or tag as git writes it ({@code feature/x}, {@code v1.2.3}); for a pull
 *     request its number, or its source branch when the number is not known; empty for {@link
 *     Kind#NONE}
 * @param sha the full commit id, when known
 * @param source where the ref was read ("GitHub Actions", "GitLab CI", "local git"), or why none
 *     was found
 */
public record GitRef(Kind kind, String name, Optional<String> sha, String source) {

  /** What a ref is. */
  public enum Kind {
    /** A branch: a push to it, or a local checkout of it. */
    BRANCH,
    /** A tag: a push of it, or a detached checkout that a tag points at. */
    TAG,
    /** A pull request (GitHub) or merge request (GitLab). */
    PULL_REQUEST,
    /** Nothing known: no CI variables and no repository, or a detached commit with no tag. */
    NONE
  }

  /**
   * Checks the fields.
   *
   * @param kind what the ref is
   * @param name the branch or tag as git writes it ({@code feature/x}, {@code v1.2.3}); for a pull
   *     request its number, or its source branch when the number is not known; empty for {@link
   *     Kind#NONE}
   * @param sha the full commit id, when known
   * @param source where the ref was read ("GitHub Actions", "GitLab CI", "local git"), or why none
   *     was found
   */
  public GitRef {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sha, "sha");
    Objects.requireNonNull(source, "source");
  }

  /**
   * The ref of this run, from CI variables, or else the git repository around the environment's
   * {@linkplain Environment#workingDirectory() working folder}.
   *
   * @param environment the variables the pipeline sees
   * @return the ref; {@link Kind#NONE} when none can be found, with the reason as its source
   */
  public static GitRef detect(Environment environment) {
    Objects.requireNonNull(environment, "environment");
    return CiVariables.read(environment)
        .orElseGet(() -> LocalGit.read(environment.workingDirectory()));
  }

  /**
   * The ref in a few words, without its source.
   *
   * @return for example "branch main", "tag v1.2.3", "pull request 42" or "no branch or tag"
   */
  public String describe() {
    return switch (kind) {
      case BRANCH -> "branch " + name;
      case TAG -> "tag " + name;
      case PULL_REQUEST -> "pull request " + name;
      case NONE -> "no branch or tag";
    };
  }

  /** The ref and where it was read, for plans: "branch main (GitHub Actions)". */
  @Override
  public String toString() {
    return describe() + " (" + source + ")";
  }
}
