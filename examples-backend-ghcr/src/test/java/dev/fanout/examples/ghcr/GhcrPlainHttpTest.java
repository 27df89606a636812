package dev.fanout.examples.ghcr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Jib;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plan's one check for credentials over plain HTTP, with the GHCR example backend: a backend
 * written outside Fanout gets it without writing a line for it.
 */
@DisplayName("A GHCR example target over plain HTTP")
class GhcrPlainHttpTest {

  private static final Environment ACTIONS =
      Environment.of(Map.of("GITHUB_ACTOR", "octocat", "GITHUB_TOKEN", "ghs_plain_http"));

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"127.evil.example:5000", "localhost.example", "127.0.0.1.nip.io"})
  @DisplayName(
      "is refused to a host that only looks local, with GITHUB_TOKEN or its own credential")
  void looksLocal(String host) {
    assertRefused(plan(Target.to(host + "/acme/app").backend("ghcr").allowPlainHttp()), host);
    assertRefused(
        plan(
            Target.to(host + "/acme/own")
                .backend("ghcr")
                .allowPlainHttp()
                .credentials(CredentialSource.of("octocat", "ghp_own"))),
        host);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"127.0.0.1:5000", "localhost:5000"})
  @DisplayName("is planned to this machine")
  void local(String host) {
    assertEquals(List.of(), plan(Target.to(host + "/acme/app").backend("ghcr").allowPlainHttp()));
  }

  private static void assertRefused(List<String> problems, String host) {
    assertTrue(
        problems.stream()
            .anyMatch(
                problem ->
                    problem.contains("plain HTTP to " + host)
                        && problem.contains("which is not this machine")),
        problems::toString);
  }

  private static List<String> plan(Target target) {
    return Pipeline.prepare(ACTIONS).image(Jib.fromScratch()).push(target).plan().problems();
  }
}
