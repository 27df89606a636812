package dev.fanout.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fanout.TagRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PomWordsTest {

  @Test
  @DisplayName(
      "a reference's host names its settings.xml server; Docker Hub's short names give docker.io")
  void registryHosts() {
    assertEquals("ghcr.io", RegistryHosts.of("ghcr.io/acme/app"));
    assertEquals("127.0.0.1:5000", RegistryHosts.of("127.0.0.1:5000/app:1"));
    assertEquals("localhost", RegistryHosts.of("localhost/app"));
    assertEquals("docker.io", RegistryHosts.of("acme/app"));
    assertEquals("docker.io", RegistryHosts.of("app"));
  }

  @Test
  @DisplayName(
      "tag rules come before literal tags; blank entries are ignored; unknown rules are problems")
  void tagRules() {
    List<String> problems = new ArrayList<>();

    List<TagRule> rules =
        TagRules.of(List.of("semver", " sha", "latest"), List.of("edge", ""), "<tags>", problems);

    assertEquals(
        List.of(TagRule.semver().toString(), TagRule.sha().toString(), "'edge'"),
        rules.stream().map(TagRule::toString).toList());
    assertEquals(
        List.of(
            "<tags>: tag rule 'latest' is not one of semver, sha, branch, pullRequest (literal"
                + " tags go in <tags>)"),
        problems);
  }

  @Test
  @DisplayName(
      "core's problems name POM elements and the plugin's dependencies instead of DSL calls")
  void mavenWording() {
    assertEquals(
        "x is AWS ECR, whose backend is not on the class path: add dev.fanout:fanout-registry-ecr"
            + " to fanout-maven-plugin's <dependencies> (or push with the generic registry"
            + " backend: <backend>oci</backend> in the <target>)",
        MavenWording.of(
            "x is AWS ECR, whose backend is not on the class path: add"
                + " dev.fanout:fanout-registry-ecr (or push with the generic registry backend:"
                + " Target.to(...).backend(\"oci\"))"));
    assertEquals("tag 'a b' is invalid", MavenWording.of("tag 'a b' is invalid"));
  }
}
