package dev.fanout.dockerhub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Jib;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.Plan;
import dev.fanout.PlannedTarget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Docker Hub names")
class DockerHubNamesTest {

  private static final Environment CREDENTIALS =
      Environment.of(Map.of("DOCKERHUB_USERNAME", "acme", "DOCKERHUB_TOKEN", "dckr_pat_names"));

  @ParameterizedTest(name = "{0} → {1}")
  @DisplayName("are normalised to one name per repository, whichever way they are written")
  @CsvSource({
    "docker.io/acme/app,                 docker.io/acme/app,     latest",
    "docker.io/acme/app:1.4.2,           docker.io/acme/app,     1.4.2",
    "acme/app,                           docker.io/acme/app,     latest",
    "acme/app:1.4.2,                     docker.io/acme/app,     1.4.2",
    "index.docker.io/acme/app:2,         docker.io/acme/app,     2",
    "registry-1.docker.io/acme/app,      docker.io/acme/app,     latest",
    "registry.hub.docker.com/acme/app,   docker.io/acme/app,     latest",
    "app,                                docker.io/library/app,  latest",
    "app:3.19,                           docker.io/library/app,  3.19",
    "docker.io/app,                      docker.io/library/app,  latest",
    "index.docker.io/app:1,              docker.io/library/app,  1",
    "docker.io/library/app,              docker.io/library/app,  latest",
    "docker.io/acme/my-app_2,            docker.io/acme/my-app_2, latest",
  })
  void normalises(String reference, String expected, String tag) {
    Plan plan = plan(reference);
    PlannedTarget target = plan.targets().get(0);
    assertEquals(expected, target.reference(), plan::toString);
    assertEquals("dockerhub", target.backend(), plan::toString);
    assertEquals(List.of(tag), target.tags(), plan::toString);
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("that Docker Hub refuses are rejected by the plan, which says what is wrong")
  @CsvSource(
      delimiter = '|',
      value = {
        "docker.io/Acme/app         | names are lower case",
        "docker.io/acme/App         | names are lower case",
        "docker.io/acme/app!        | not a valid image reference",
        "docker.io/acme/team/app    | has 3 path components; Docker Hub repositories are exactly"
            + " <namespace>/<name>",
        "app                        | is in library/, the namespace of Docker Official Images",
        "docker.io/library/app      | push to your Docker ID or organization instead",
        "docker.io/acme.io/app      | the namespace 'acme.io' is not a Docker ID or organization"
            + " name",
        "docker.io/abcdefghijklmnopqrstuvwxyz012345/app"
            + " | the namespace 'abcdefghijklmnopqrstuvwxyz012345' is not a Docker ID",
        "docker.io/acme/my.app      | the repository name 'my.app' is not one Docker Hub accepts"
            + " (2 to 255 lower-case letters, digits, - and _; no dots)",
        "docker.io/acme/a           | the repository name 'a' is not one Docker Hub accepts",
      })
  void rejects(String reference, String expectedProblem) {
    Plan plan = plan(reference.strip());
    assertTrue(
        plan.problems().stream().anyMatch(problem -> problem.contains(expectedProblem.strip())),
        () -> "expected a problem containing '" + expectedProblem.strip() + "' in " + plan);
  }

  private static Plan plan(String reference) {
    return Pipeline.prepare(CREDENTIALS).image(Jib.fromScratch()).push(reference).plan();
  }
}
