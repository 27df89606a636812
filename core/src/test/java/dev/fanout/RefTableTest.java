package dev.fanout;

import static dev.fanout.Conditions.onBranch;
import static dev.fanout.Conditions.onPullRequest;
import static dev.fanout.Conditions.onSemverTag;
import static dev.fanout.Conditions.onTag;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.GitRef.Kind;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ref conditions and tag rules on a table of refs, each row as GitHub Actions or GitLab CI would
 * set its variables for it, and one row with no CI variables at all, outside any git repository.
 */
@DisplayName("Ref conditions and tag rules")
class RefTableTest {

  private static final String SHA = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
  private static final String SHORT = "sha-1a2b3c4";

  /** A folder that is not inside a git repository, so the last row finds no local ref either. */
  @TempDir static Path outsideAnyRepository;

  /**
   * One ref and everything expected of it.
   *
   * @param label what the row is
   * @param variables the CI variables of the row
   * @param kind the ref's kind
   * @param name the ref's name
   * @param conditions whether onBranch("main"), onTag(), onSemverTag() and onPullRequest() hold
   * @param semver what TagRule.semver() gives
   * @param sha what TagRule.sha() gives
   * @param branch what TagRule.branch() gives
   * @param pullRequest what TagRule.pullRequest() gives
   */
  record Row(
      String label,
      Map<String, String> variables,
      Kind kind,
      String name,
      List<Boolean> conditions,
      List<String> semver,
      List<String> sha,
      List<String> branch,
      List<String> pullRequest) {
    @Override
    public String toString() {
      return label;
    }
  }

  static Stream<Row> refs() {
    return Stream.of(
        new Row(
            "GitHub: version tag v1.2.3",
            github("push", "tag", "v1.2.3", "refs/tags/v1.2.3"),
            Kind.TAG,
            "v1.2.3",
            List.of(false, true, true, false),
            List.of("1.2.3", "1.2", "1", "latest"),
            List.of(SHORT),
            List.of(),
            List.of()),
        new Row(
            "GitHub: pre-release tag v1.2.3-rc.1",
            github("push", "tag", "v1.2.3-rc.1", "refs/tags/v1.2.3-rc.1"),
            Kind.TAG,
            "v1.2.3-rc.1",
            List.of(false, true, true, false),
            List.of("1.2.3-rc.1"),
            List.of(SHORT),
            List.of(),
            List.of()),
        new Row(
            "GitHub: 0.x tag v0.4.1, no major-only tag",
            github("push", "tag", "v0.4.1", "refs/tags/v0.4.1"),
            Kind.TAG,
            "v0.4.1",
            List.of(false, true, true, false),
            List.of("0.4.1", "0.4", "latest"),
            List.of(SHORT),
            List.of(),
            List.of()),
        new Row(
            "GitHub: build metadata v2.0.0+build.7, + is not a tag character",
            github("push", "tag", "v2.0.0+build.7", "refs/tags/v2.0.0+build.7"),
            Kind.TAG,
            "v2.0.0+build.7",
            List.of(false, true, true, false),
            List.of("2.0.0_build.7"),
            List.of(SHORT),
            List.of(),
            List.of()),
        new Row(
            "GitHub: a tag that is not a version, release-2024",
            github("push", "tag", "release-2024", "refs/tags/release-2024"),
            Kind.TAG,
            "release-2024",
            List.of(false, true, false, false),
            List.of(),
            List.of(SHORT),
            List.of(),
            List.of()),
        new Row(
            "GitHub: branch main",
            github("push", "branch", "main", "refs/heads/main"),
            Kind.BRANCH,
            "main",
            List.of(true, false, false, false),
            List.of(),
            List.of(SHORT),
            List.of("main"),
            List.of()),
        new Row(
            "GitHub: branch with slashes, feature/login/Form_2",
            github("push", "branch", "feature/login/Form_2", "refs/heads/feature/login/Form_2"),
            Kind.BRANCH,
            "feature/login/Form_2",
            List.of(false, false, false, false),
            List.of(),
            List.of(SHORT),
            List.of("feature-login-Form_2"),
            List.of()),
        new Row(
            "GitHub: pull request 42 from feature/x into main",
            with(
                github("pull_request", "branch", "42/merge", "refs/pull/42/merge"),
                "GITHUB_HEAD_REF",
                "feature/x",
                "GITHUB_BASE_REF",
                "main"),
            Kind.PULL_REQUEST,
            "42",
            List.of(false, false, false, true),
            List.of(),
            List.of(SHORT),
            List.of(),
            List.of("pr-42")),
        new Row(
            "GitHub: no GITHUB_REF_TYPE, the ref is read from GITHUB_REF",
            Map.of("GITHUB_REF", "refs/heads/release/2.x", "GITHUB_SHA", SHA),
            Kind.BRANCH,
            "release/2.x",
            List.of(false, false, false, false),
            List.of(),
            List.of(SHORT),
            List.of("release-2.x"),
            List.of()),
        new Row(
            "GitLab: version tag v3.1.0",
            Map.of("GITLAB_CI", "true", "CI_COMMIT_TAG", "v3.1.0", "CI_COMMIT_SHA", SHA),
            Kind.TAG,
            "v3.1.0",
            List.of(false, true, true, false),
            List.of("3.1.0", "3.1", "3", "latest"),
            List.of(SHORT),
            List.of(),
            List.of()),
        new Row(
            "GitLab: branch with slashes, hotfix/db/timeout",
            Map.of(
                "GITLAB_CI", "true", "CI_COMMIT_BRANCH", "hotfix/db/timeout", "CI_COMMIT_SHA", SHA),
            Kind.BRANCH,
            "hotfix/db/timeout",
            List.of(false, false, false, false),
            List.of(),
            List.of(SHORT),
            List.of("hotfix-db-timeout"),
            List.of()),
        new Row(
            "GitLab: merge request 7",
            Map.of("GITLAB_CI", "true", "CI_MERGE_REQUEST_IID", "7", "CI_COMMIT_SHA", SHA),
            Kind.PULL_REQUEST,
            "7",
            List.of(false, false, false, true),
            List.of(),
            List.of(SHORT),
            List.of(),
            List.of("pr-7")),
        new Row(
            "no CI variables at all, and no git repository",
            Map.of(),
            Kind.NONE,
            "",
            List.of(false, false, false, false),
            List.of(),
            List.of(),
            List.of(),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refs")
  @DisplayName("read the ref from CI variables, decide the conditions and give the tags")
  void table(Row row) {
    Environment environment = Environment.of(row.variables(), outsideAnyRepository);
    GitRef ref = GitRef.detect(environment);
    List<Condition> conditions = List.of(onBranch("main"), onTag(), onSemverTag(), onPullRequest());
    assertAll(
        () -> assertEquals(row.kind(), ref.kind(), ref::toString),
        () -> assertEquals(row.name(), ref.name(), ref::toString),
        () ->
            assertEquals(
                row.conditions(),
                conditions.stream().map(c -> c.evaluate(environment).holds()).toList(),
                ref::toString),
        () -> assertEquals(row.semver(), TagRule.semver().tagsFor(ref)),
        () -> assertEquals(row.sha(), TagRule.sha().tagsFor(ref)),
        () -> assertEquals(row.branch(), TagRule.branch().tagsFor(ref)),
        () -> assertEquals(row.pullRequest(), TagRule.pullRequest().tagsFor(ref)),
        () -> assertEquals(List.of("edge"), TagRule.literal("edge").tagsFor(ref)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refs")
  @DisplayName("explain each verdict with the ref and where it was read")
  void reasons(Row row) {
    Environment environment = Environment.of(row.variables(), outsideAnyRepository);
    String ref = GitRef.detect(environment).toString();
    for (Condition condition : List.of(onBranch("main"), onTag(), onSemverTag(), onPullRequest())) {
      String reason = condition.evaluate(environment).reason();
      assertTrue(reason.endsWith(": " + ref), reason);
    }
    if (row.variables().isEmpty()) {
      assertTrue(ref.contains("not a git repository"), ref);
    }
  }

  private static Map<String, String> github(String event, String type, String name, String ref) {
    return Map.of(
        "GITHUB_ACTIONS", "true",
        "GITHUB_EVENT_NAME", event,
        "GITHUB_REF_TYPE", type,
        "GITHUB_REF_NAME", name,
        "GITHUB_REF", ref,
        "GITHUB_SHA", SHA);
  }

  private static Map<String, String> with(Map<String, String> variables, String... more) {
    Map<String, String> all = new HashMap<>(variables);
    for (int index = 0; index < more.length; index += 2) {
      all.put(more[index], more[index + 1]);
    }
    return all;
  }
}
