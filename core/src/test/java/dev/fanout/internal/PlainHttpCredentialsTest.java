package dev.fanout.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Jib;
import dev.fanout.Conditions;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.ImageSource;
import dev.fanout.RegistryCredential;
import dev.fanout.RetryPolicy;
import dev.fanout.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one plan check every credential goes through, whatever its source, with core's generic OCI
 * backend: over plain HTTP only to a literal loopback address or {@code localhost}.
 */
@DisplayName("The plan, for credentials over plain HTTP")
class PlainHttpCredentialsTest {

  private static final String CLEAR = "which is not this machine";

  @TempDir Path home;

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"127.evil.example:5000", "localhost.example", "127.0.0.1.nip.io"})
  @DisplayName("refuses explicit and environment credentials to a host that only looks local")
  void looksLocal(String host) {
    Planner.Planning planning =
        plan(
            Environment.of(Map.of("HOME", home.toString(), "U", "robot", "P", "pw-from-env")),
            Target.to(host + "/acme/app")
                .allowPlainHttp()
                .credentials(CredentialSource.of("robot", "explicit-pw")),
            Target.to(host + "/acme/other")
                .allowPlainHttp()
                .credentials(CredentialSource.fromEnvironment("U", "P")));
    List<String> problems = planning.plan().problems();
    assertEquals(2, problems.size(), problems::toString);
    problems.forEach(
        problem ->
            assertTrue(
                problem.contains("plain HTTP to " + host + ", " + CLEAR), problems::toString));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"127.0.0.1:5000", "127.3.2.1:5000", "localhost:5000", "localhost"})
  @DisplayName("lets credentials travel over plain HTTP to this machine")
  void local(String host) {
    Planner.Planning planning =
        plan(
            Environment.of(Map.of("HOME", home.toString())),
            Target.to(host + "/acme/app")
                .allowPlainHttp()
                .credentials(CredentialSource.of("robot", "explicit-pw")));
    assertEquals(List.of(), planning.plan().problems());
  }

  @Test
  @DisplayName(
      "refuses config.json's auths, credHelpers and credsStore entries over plain HTTP to another"
          + " machine, without running the helper")
  void dockerConfig() throws IOException {
    writeConfig(
        "{\"auths\": {\"https://registry.example.com/v1/\": {\"auth\": \""
            + basic("robot", "config-pw")
            + "\"}},"
            + " \"credHelpers\": {\"helped.example.com\": \"fanout-test-no-such-helper\"}}");
    Environment environment = Environment.of(Map.of("HOME", home.toString()));
    List<String> problems =
        plan(
                environment,
                Target.to("registry.example.com/acme/app").allowPlainHttp(),
                Target.to("helped.example.com/acme/app").allowPlainHttp(),
                Target.to("anonymous.example.com/acme/app").allowPlainHttp(),
                Target.to("127.0.0.1:5000/acme/app").allowPlainHttp(),
                Target.to("registry.example.com/acme/secure"))
            .plan()
            .problems();
    assertEquals(2, problems.size(), problems::toString);
    assertTrue(
        problems
            .get(0)
            .contains(
                "Docker config.json) would be sent over plain HTTP to" + " registry.example.com"),
        problems::toString);
    assertTrue(problems.get(1).contains("plain HTTP to helped.example.com"), problems::toString);
  }

  @Test
  @DisplayName("refuses every host over plain HTTP when config.json names a credsStore")
  void credsStore() throws IOException {
    writeConfig("{\"credsStore\": \"fanout-test-no-such-store\"}");
    List<String> problems =
        plan(
                Environment.of(Map.of("HOME", home.toString())),
                Target.to("registry.example.com/acme/app").allowPlainHttp(),
                Target.to("anonymous.example.com/acme/app")
                    .allowPlainHttp()
                    .credentials(CredentialSource.anonymous()))
            .plan()
            .problems();
    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).contains("CredentialSource.anonymous()"), problems::toString);
  }

  @Test
  @DisplayName("knows, for masking before any target's work, every credential it can read locally")
  void knownCredentials() throws IOException {
    writeConfig(
        "{\"auths\": {\"registry.example.com\": {\"auth\": \""
            + basic("robot", "config-pw")
            + "\"}}}");
    Planner.Planning planning =
        plan(
            Environment.of(Map.of("HOME", home.toString(), "U", "env-user", "P", "env-pw")),
            Target.to("registry.example.com/acme/app"),
            Target.to("other.example.com/acme/app")
                .credentials(CredentialSource.fromEnvironment("U", "P")),
            Target.to("third.example.com/acme/app")
                .credentials(CredentialSource.of("given", "given-pw")));
    assertEquals(
        List.of("config-pw", "env-pw", "given-pw"),
        planning.credentials().stream().map(RegistryCredential::secret).toList());
  }

  private void writeConfig(String json) throws IOException {
    Path folder = Files.createDirectories(home.resolve(".docker"));
    Files.writeString(folder.resolve("config.json"), json);
  }

  private static String basic(String user, String password) {
    return Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static Planner.Planning plan(Environment environment, Target... targets) {
    return Planner.plan(
        new PipelineSpec(
            environment,
            ImageSource.jib(Jib.fromScratch()),
            null,
            List.of(),
            List.of(targets).stream()
                .map(target -> TargetDeclaration.of(Conditions.always(), target))
                .toList(),
            null,
            null,
            4,
            2,
            RetryPolicy.noRetries(),
            Map.of(),
            null,
            List.of(),
            List.of(),
            List.of()));
  }
}
