package dev.fanout.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.RegistryCredential;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsProblem;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PomCredentialsTest {

  private static final String ENCRYPTED = "{c2VjcmV0LWVuY3J5cHRlZA==}";
  private static final String DECRYPTED = "s3cret-decrypted";
  private static final Environment NO_VARIABLES = Environment.of(Map.of());

  @Test
  @DisplayName("without <credentials>, the settings.xml server whose id is the host is decrypted")
  void serverForHost() throws IOException {
    List<String> problems = new ArrayList<>();
    PomCredentials credentials = credentials(server("ghcr.io", "alice", ENCRYPTED));

    Optional<CredentialSource> source =
        credentials.of(null, "ghcr.io/acme/app", "<target> ghcr.io/acme/app", problems);

    assertEquals(List.of(), problems);
    RegistryCredential credential = source.orElseThrow().resolve("ghcr.io", NO_VARIABLES).get();
    assertEquals("alice", credential.username());
    assertEquals(DECRYPTED, credential.secret());
    assertFalse(source.get().toString().contains(DECRYPTED), source.get().toString());
  }

  @Test
  @DisplayName("without <credentials> or a server for the host, the backend's default applies")
  void backendDefault() {
    List<String> problems = new ArrayList<>();

    assertEquals(
        Optional.empty(),
        credentials(server("ghcr.io", "alice", ENCRYPTED))
            .of(null, "acme/app", "<target> acme/app", problems));
    assertEquals(List.of(), problems);
  }

  @Test
  @DisplayName("a password that cannot be decrypted is a problem that shows neither form of it")
  void undecryptable() {
    List<String> problems = new ArrayList<>();
    CredentialParameters parameters = new CredentialParameters();
    parameters.server = "broken";

    credentials(server("broken", "alice", "{broken}"))
        .of(parameters, "ghcr.io/acme/app", "<target> ghcr.io/acme/app", problems);

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("could not be decrypted"), problems.get(0));
    assertFalse(problems.get(0).contains("{broken}"), problems.get(0));
  }

  @Test
  @DisplayName("two kinds of credential at once, or half of a variable pair, are problems")
  void ambiguous() {
    List<String> problems = new ArrayList<>();
    CredentialParameters both = new CredentialParameters();
    both.server = "ghcr.io";
    both.dockerConfig = true;
    CredentialParameters half = new CredentialParameters();
    half.usernameVariable = "USER";

    PomCredentials credentials = credentials(server("ghcr.io", "alice", ENCRYPTED));
    credentials.of(both, "ghcr.io/acme/app", "<target> a", problems);
    credentials.of(half, "ghcr.io/acme/app", "<target> b", problems);
    CredentialParameters missing = new CredentialParameters();
    missing.server = "nowhere";
    credentials.of(missing, "ghcr.io/acme/app", "<target> c", problems);

    assertEquals(
        List.of(
            "<target> a: <credentials> needs exactly one of <usernameVariable> with"
                + " <passwordVariable>, <server>, <dockerConfig>true or <anonymous>true;"
                + " found <server>, <dockerConfig>",
            "<target> b: <credentials> needs both <usernameVariable> and <passwordVariable>",
            "<target> c: settings.xml has no <server> with id 'nowhere'"),
        problems);
  }

  @Test
  @DisplayName("environment variables are read as the DSL's CredentialSource.fromEnvironment")
  void variables() throws IOException {
    List<String> problems = new ArrayList<>();
    CredentialParameters parameters = new CredentialParameters();
    parameters.usernameVariable = "REG_USER";
    parameters.passwordVariable = "REG_TOKEN";

    CredentialSource source =
        credentials(new Settings()).of(parameters, "ghcr.io/acme/app", "t", problems).get();

    assertEquals(
        List.of("REG_USER is not set", "REG_TOKEN is not set"), source.problems(NO_VARIABLES));
    assertEquals(
        "bob",
        source
            .resolve("ghcr.io", Environment.of(Map.of("REG_USER", "bob", "REG_TOKEN", "t")))
            .get()
            .username());
  }

  private static Settings server(String id, String username, String password) {
    Server server = new Server();
    server.setId(id);
    server.setUsername(username);
    server.setPassword(password);
    Settings settings = new Settings();
    settings.addServer(server);
    return settings;
  }

  private static PomCredentials credentials(Settings settings) {
    return new PomCredentials(new SettingsServers(settings, new FakeDecrypter()));
  }

  /** Decrypts {@link #ENCRYPTED} and fails on anything else in braces, as Maven's does. */
  private static final class FakeDecrypter implements SettingsDecrypter {
    @Override
    public SettingsDecryptionResult decrypt(SettingsDecryptionRequest request) {
      Server server = request.getServers().get(0).clone();
      List<SettingsProblem> problems = new ArrayList<>();
      if (server.getPassword().equals(ENCRYPTED)) {
        server.setPassword(DECRYPTED);
      } else {
        problems.add(
            new DefaultSettingsProblem(
                "Failed to decrypt password for server "
                    + server.getId()
                    + ": "
                    + server.getPassword(),
                SettingsProblem.Severity.ERROR,
                "server: " + server.getId(),
                -1,
                -1,
                null));
      }
      return new SettingsDecryptionResult() {
        @Override
        public Server getServer() {
          return server;
        }

        @Override
        public List<Server> getServers() {
          return List.of(server);
        }

        @Override
        public Proxy getProxy() {
          return null;
        }

        @Override
        public List<Proxy> getProxies() {
          return List.of();
        }

        @Override
        public List<SettingsProblem> getProblems() {
          return problems;
        }
      };
    }
  }
}
