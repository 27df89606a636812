package dev.fanout.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Condition;
import dev.fanout.Environment;
import dev.fanout.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PomConditionsTest {

  private static final Environment MAIN_WITH_AWS =
      Environment.of(
          Map.of(
              "GITLAB_CI", "true",
              "CI_COMMIT_BRANCH", "main",
              "CI_COMMIT_SHA", "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d",
              "AWS_ACCESS_KEY_ID", "id",
              "AWS_SECRET_ACCESS_KEY", "key"));

  private static final Environment TAG_V1 =
      Environment.of(
          Map.of(
              "GITLAB_CI", "true",
              "CI_COMMIT_TAG", "v1.2.3",
              "CI_COMMIT_SHA", "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"));

  @Test
  @DisplayName("a target without <when> is always pushed")
  void noWhenMeansAlways() {
    List<String> problems = new ArrayList<>();

    assertTrue(PomConditions.of(null, "t", problems).evaluate(TAG_V1).holds());
    assertEquals(List.of(), problems);
  }

  @Test
  @DisplayName("the elements of one <when> must all hold, and the failing one gives the reason")
  void elementsAreAnded() {
    WhenParameters when = new WhenParameters();
    when.credentialPresent = List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    when.branch = "main";
    List<String> problems = new ArrayList<>();
    Condition condition = PomConditions.of(when, "t", problems);

    assertTrue(condition.evaluate(MAIN_WITH_AWS).holds());
    Verdict onTag = condition.evaluate(TAG_V1);
    assertFalse(onTag.holds());
    assertTrue(onTag.reason().contains("AWS_ACCESS_KEY_ID"), onTag.reason());
    assertEquals(List.of(), problems);
  }

  @Test
  @DisplayName("<or>, <not> and <semverTag>false nest as the DSL's or, not and negation")
  void nesting() {
    WhenParameters semver = new WhenParameters();
    semver.semverTag = true;
    WhenParameters main = new WhenParameters();
    main.branch = "main";
    WhenParameters either = new WhenParameters();
    either.or = List.of(semver, main);
    WhenParameters pullRequest = new WhenParameters();
    pullRequest.pullRequest = true;
    either.not = pullRequest;
    List<String> problems = new ArrayList<>();
    Condition condition = PomConditions.of(either, "t", problems);

    assertTrue(condition.evaluate(TAG_V1).holds());
    assertTrue(condition.evaluate(MAIN_WITH_AWS).holds());
    assertFalse(condition
            .evaluate(Environment.of(Map.of("GITLAB_CI", "true", "CI_COMMIT_BRANCH", "dev")))
            .holds());
    WhenParameters notSemver = new WhenParameters();
    notSemver.semverTag = false;
    assertFalse(PomConditions.of(notSemver, "t", problems).evaluate(TAG_V1).holds());
    assertEquals(List.of(), problems);
  }

  @Test
  @DisplayName("an empty <when>, an empty <or> and a blank <branch> are each reported, all at once")
  void problems() {
    WhenParameters empty = new WhenParameters();
    WhenParameters withEmptyOr = new WhenParameters();
    withEmptyOr.or = List.of();
    withEmptyOr.branch = " ";
    List<String> problems = new ArrayList<>();

    PomConditions.of(empty, "<target> a", problems);
    PomConditions.of(withEmptyOr, "<target> b", problems);

    assertEquals(
        List.of(
            "<target> a: <when> states no condition: give <credentialPresent>, <branch>, <tag>,"
                + " <semverTag>, <pullRequest>, <and>, <or> or <not>",
            "<target> b: <when> <branch> is empty",
            "<target> b: <when> <or> holds no <when>",
            "<target> b: <when> states no condition: give <credentialPresent>, <branch>, <tag>,"
                + " <semverTag>, <pullRequest>, <and>, <or> or <not>"),
        problems);
  }
}
