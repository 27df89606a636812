package dev.fanout.ecr;

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

/** The plan's one check for credentials over plain HTTP, with the ECR backend. */
@DisplayName("An ECR target over plain HTTP")
class EcrPlainHttpTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"127.evil.example:5000", "localhost.example", "127.0.0.1.nip.io"})
  @DisplayName(
      "is refused when the ECR endpoint, or the registry its own credential goes to, only looks"
          + " local")
  void looksLocal(String host) {
    String bareHost = host.replaceFirst(":[0-9]+$", "");
    List<String> tokenProblems =
        plan(
            Environment.of(Map.of(EcrEndpoints.ECR_ENDPOINT, "http://" + host)),
            Target.to(EcrPushTest.REGISTRY + "/acme/app").allowPlainHttp());
    assertRefused(tokenProblems, bareHost);
    List<String> ownProblems =
        plan(
            Environment.of(Map.of()),
            Target.to(host + "/acme/app")
                .backend("ecr")
                .allowPlainHttp()
                .credentials(CredentialSource.of("AWS", "own-ecr-password")));
    assertRefused(ownProblems, bareHost);
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

  private static List<String> plan(Environment environment, Target target) {
    return Pipeline.prepare(environment).image(Jib.fromScratch()).push(target).plan().problems();
  }
}
