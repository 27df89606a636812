package dev.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.registry.credentials.CredentialRetrievalException;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A credential source as Jib's retriever for a base image")
class JibRetrieverTest {

  private static final Environment ENVIRONMENT =
      Environment.of(Map.of("BASE_USER", "puller", "BASE_TOKEN", "pull-token"));

  @Test
  @DisplayName("gives the credential the source resolves for the base image's host")
  void resolves() throws Exception {
    Optional<Credential> credential =
        CredentialSource.fromEnvironment("BASE_USER", "BASE_TOKEN")
            .jibRetriever("127.0.0.1:5000", ENVIRONMENT)
            .retrieve();

    assertEquals(Optional.of(Credential.from("puller", "pull-token")), credential);
  }

  @Test
  @DisplayName("gives none for an anonymous source, so Jib pulls without one")
  void anonymous() throws Exception {
    assertEquals(
        Optional.empty(),
        CredentialSource.anonymous().jibRetriever("127.0.0.1:5000", ENVIRONMENT).retrieve());
  }

  @Test
  @DisplayName("turns a source that cannot be read into Jib's retrieval failure, with the cause")
  void unreadable() {
    IOException unreadable = new IOException("config.json cannot be read");
    CredentialSource broken =
        (host, environment) -> {
          throw unreadable;
        };

    CredentialRetrievalException thrown =
        assertThrows(
            CredentialRetrievalException.class,
            () -> broken.jibRetriever("127.0.0.1:5000", ENVIRONMENT).retrieve());
    assertEquals(unreadable, thrown.getCause());
  }
}
