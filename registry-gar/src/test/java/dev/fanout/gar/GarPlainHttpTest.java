package dev.fanout.gar;

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

/** The plan's one check for credentials over plain HTTP, with the Artifact Registry backend. */
@DisplayName("An Artifact Registry target over plain HTTP")
class GarPlainHttpTest {

  private static final String TARGET = "europe-docker.pkg.dev/acme/images/app";

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"127.evil.example:5000", "localhost.example", "127.0.0.1.nip.io"})
  @DisplayName(
      "is refused when the registry endpoint or the API endpoint only looks local, with the access"
          + " token or the target's own credential")
  void looksLocal(String host) {
    String bareHost = host.replaceFirst(":[0-9]+$", "");
    Environment endpoint = Environment.of(Map.of(GarEndpoints.REGISTRY_ENDPOINT, host));
    assertRefused(plan(endpoint, Target.to(TARGET).allowPlainHttp()), host);
    assertRefused(
        plan(
            endpoint,
            Target.to(TARGET)
                .allowPlainHttp()
                .credentials(CredentialSource.of(GarBackend.TOKEN_USER, "ya29.own"))),
        host);
    assertRefused(
        plan(
            Environment.of(Map.of(GarEndpoints.API_ENDPOINT, "http://" + host)), Target.to(TARGET)),
        bareHost);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"127.0.0.1:5000", "localhost:5000"})
  @DisplayName("is planned when the registry endpoint is this machine")
  void local(String host) {
    assertEquals(
        List.of(),
        plan(
            Environment.of(Map.of(GarEndpoints.REGISTRY_ENDPOINT, host)),
            Target.to(TARGET).allowPlainHttp()));
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
