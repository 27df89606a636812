package dev.fanout;

import dev.fanout.GitRef.Kind;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the ref of a run from the variables GitHub Actions and GitLab CI set for every job. */
final class CiVariables {

  /** The source a ref read from GitHub's variables names. */
  static final String GITHUB = "GitHub Actions";

  /** The source a ref read from GitLab's variables names. */
  static final String GITLAB = "GitLab CI";

  /**
   * The events that build a pull request. {@code pull_request_target} runs in the base branch's
   * context, so its {@code GITHUB_REF} names the base branch, not the pull request.
   */
  private static final Set<String> GITHUB_PULL_REQUEST_EVENTS =
      Set.of("pull_request", "pull_request_target");

  /** {@code GITHUB_REF} of a pull request: {@code refs/pull/<number>/merge}. */
  private static final Pattern GITHUB_PULL_REF = Pattern.compile("refs/pull/([0-9]+)/.*");

  private static final String HEADS = "refs/heads/";
  private static final String TAGS = "refs/tags/";

  private CiVariables() {}

  /**
   * The ref, when the environment has a CI system's variables.
   *
   * @param environment the variables the pipeline sees
   * @return the ref, or empty when neither GitHub's nor GitLab's variables are set
   */
  static Optional<GitRef> read(Environment environment) {
    if (isGitHub(environment)) {
      return Optional.of(github(environment));
    }
    if (isGitLab(environment)) {
      return Optional.of(gitlab(environment));
    }
    return Optional.empty();
  }

  private static boolean isGitHub(Environment environment) {
    return environment.value("GITHUB_ACTIONS").orElse("").equals("true")
        || environment.isSet("GITHUB_REF")
        || environment.isSet("GITHUB_REF_NAME")
        || environment.isSet("GITHUB_SHA");
  }

  private static GitRef github(Environment environment) {
    Optional<String> sha = environment.value("GITHUB_SHA");
    String ref = environment.value("GITHUB_REF").orElse("");
    if (GITHUB_PULL_REQUEST_EVENTS.contains(environment.value("GITHUB_EVENT_NAME").orElse(""))) {
      Matcher pull = GITHUB_PULL_REF.matcher(ref);
      String name =
          pull.matches() ? pull.group(1) : environment.value("GITHUB_HEAD_REF").orElse("");
      return new GitRef(Kind.PULL_REQUEST, name, sha, GITHUB);
    }
    String type = environment.value("GITHUB_REF_TYPE").orElseGet(() -> typeOf(ref));
    String name = environment.value("GITHUB_REF_NAME").orElseGet(() -> shortName(ref));
    if (type.equals("tag")) {
      return new GitRef(Kind.TAG, name, sha, GITHUB);
    }
    if (type.equals("branch")) {
      return new GitRef(Kind.BRANCH, name, sha, GITHUB);
    }
    return new GitRef(Kind.NONE, "", sha, GITHUB + ", an event without a branch or tag");
  }

  /**
   * The ref type GitHub would give {@code GITHUB_REF}, for when {@code GITHUB_REF_TYPE} is unset.
   */
  private static String typeOf(String ref) {
    return ref.startsWith(TAGS) ? "tag" : ref.startsWith(HEADS) ? "branch" : "";
  }

  private static String shortName(String ref) {
    for (String prefix : new String[] {HEADS, TAGS}) {
      if (ref.startsWith(prefix)) {
        return ref.substring(prefix.length());
      }
    }
    return ref;
  }

  private static boolean isGitLab(Environment environment) {
    return environment.value("GITLAB_CI").orElse("").equals("true")
        || environment.isSet("CI_COMMIT_SHA");
  }

  private static GitRef gitlab(Environment environment) {
    Optional<String> sha = environment.value("CI_COMMIT_SHA");
    Optional<String> tag = environment.value("CI_COMMIT_TAG");
    if (tag.isPresent()) {
      return new GitRef(Kind.TAG, tag.get(), sha, GITLAB);
    }
    Optional<String> mergeRequest = environment.value("CI_MERGE_REQUEST_IID");
    if (mergeRequest.isPresent()) {
      return new GitRef(Kind.PULL_REQUEST, mergeRequest.get(), sha, GITLAB);
    }
    Optional<String> branch = environment.value("CI_COMMIT_BRANCH");
    if (branch.isPresent()) {
      return new GitRef(Kind.BRANCH, branch.get(), sha, GITLAB);
    }
    return new GitRef(Kind.NONE, "", sha, GITLAB + ", a pipeline without a branch or tag");
  }
}
