package dev.fanout;

import static dev.fanout.Conditions.onBranch;
import static dev.fanout.Conditions.onSemverTag;
import static dev.fanout.TagRule.branch;
import static dev.fanout.TagRule.literal;
import static dev.fanout.TagRule.semver;
import static dev.fanout.TagRule.sha;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Jib;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Tag rules and ref conditions in a plan")
class ReleaseRulesPlanTest {

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  @TempDir Path outsideAnyRepository;

  /**
   * The original workflow: semver tags to the public registry, sha and main to the one deployments
   * poll.
   */
  private PipelineBuilder release(Map<String, String> variables) {
    return Pipeline.prepare(Environment.of(variables, outsideAnyRepository))
        .image(Jib.fromScratch())
        .when(onSemverTag())
        .push(Target.to("hub.example.com/acme/app").named("hub").tags(semver()))
        .when(onBranch("main"))
        .push(Target.to("deploy.example.com/acme/app").named("deploy").tags(sha(), branch()));
  }

  @Test
  @DisplayName("on a version tag, pushes 1.2.3, 1.2, 1 and latest to the public registry only")
  void versionTag() {
    Plan plan =
        release(Map.of("GITHUB_REF_TYPE", "tag", "GITHUB_REF_NAME", "v1.2.3", "GITHUB_SHA", SHA))
            .plan();
    assertTrue(plan.isValid(), plan::toString);
    assertEquals(List.of("hub"), plan.enabled().stream().map(PlannedTarget::name).toList());
    assertEquals(List.of("1.2.3", "1.2", "1", "latest"), plan.enabled().get(0).tags());
    assertEquals("not on branch main: tag v1.2.3 (GitHub Actions)", plan.skipped().get(0).reason());
  }

  @Test
  @DisplayName("on main, pushes sha-<7> and main to the deployment registry only")
  void mainBranch() {
    Plan plan =
        release(Map.of("GITHUB_REF_TYPE", "branch", "GITHUB_REF_NAME", "main", "GITHUB_SHA", SHA))
            .plan();
    assertEquals(List.of("deploy"), plan.enabled().stream().map(PlannedTarget::name).toList());
    assertEquals(List.of("sha-0123456", "main"), plan.enabled().get(0).tags());
    assertEquals(
        "not on a version tag: branch main (GitHub Actions)", plan.skipped().get(0).reason());
  }

  @Test
  @DisplayName(
      "skips a target whose rules give no tag for the ref, says why, and never falls back to"
          + " latest")
  void noTagFromRules() {
    Plan plan =
        Pipeline.prepare(
                Environment.of(
                    Map.of("CI_COMMIT_SHA", SHA, "CI_COMMIT_BRANCH", "dev"), outsideAnyRepository))
            .image(Jib.fromScratch())
            .push(Target.to("hub.example.com/acme/app").tags(semver()))
            .plan();
    PlannedTarget target = plan.targets().get(0);
    assertFalse(target.enabled());
    assertEquals(List.of(), target.tags());
    assertEquals("its tag rules (semver) give no tag for branch dev (GitLab CI)", target.reason());
  }

  @Test
  @DisplayName(
      "gives pipeline rules to targets without their own, and keeps a tag written in the reference")
  void pipelineRules() {
    Plan plan =
        Pipeline.prepare(
                Environment.of(
                    Map.of("GITHUB_REF", "refs/heads/feature/x", "GITHUB_SHA", SHA),
                    outsideAnyRepository))
            .image(Jib.fromScratch())
            .tags(branch(), sha(), literal("edge"))
            .push("a.example.com/acme/app:pinned")
            .push(Target.to("b.example.com/acme/app").tags("1.0"))
            .plan();
    assertEquals(
        List.of("pinned", "feature-x", "sha-0123456", "edge"), plan.targets().get(0).tags());
    assertEquals(List.of("1.0"), plan.targets().get(1).tags());
  }

  @Test
  @DisplayName("refuses a missing rule where it is written, not when the pipeline is planned")
  void nullRule() {
    assertThrows(NullPointerException.class, () -> Target.to("a.example.com/app").tags(sha(), null));
    assertThrows(
        NullPointerException.class,
        () -> Pipeline.prepare(Environment.of(Map.of())).tags(null, semver()));
  }

  @Test
  @DisplayName("reports an invalid literal tag among the rules")
  void invalidLiteral() {
    Plan plan =
        Pipeline.prepare(Environment.of(Map.of(), outsideAnyRepository))
            .image(Jib.fromScratch())
            .push(Target.to("a.example.com/acme/app").tags(literal("no good")))
            .plan();
    assertEquals(
        List.of(
            "target 'a.example.com/acme/app': tag 'no good' is not a valid tag (1 to 128 of"
                + " letters, digits, _ . -; not starting with . or -)"),
        plan.problems());
  }

  @Test
  @DisplayName(
      "names targets from their references, numbers clashes, checks given names and marks optional"
          + " ones")
  void namesAndOptional() {
    Plan plan =
        Pipeline.prepare(Environment.of(Map.of(), outsideAnyRepository))
            .image(Jib.fromScratch())
            .push("a.b.example.com/acme/app:1")
            .push("a-b.example.com/acme/app")
            .push(Target.to("c.example.com/acme/app").named("mirror").optional())
            .push(Target.to("d.example.com/acme/app").named("Mirror!"))
            .plan();
    assertEquals(
        List.of("a-b-example-com-acme-app", "a-b-example-com-acme-app-2", "mirror", "Mirror!"),
        plan.targets().stream().map(PlannedTarget::name).toList());
    assertEquals(
        List.of(false, false, true, false),
        plan.targets().stream().map(PlannedTarget::optional).toList());
    assertTrue(plan.toString().contains("push (optional)"), plan::toString);
    assertEquals(1, plan.problems().size(), plan::toString);
    assertTrue(
        plan.problems().get(0).contains("'Mirror!' is not a valid target name"), plan::toString);
  }
}
