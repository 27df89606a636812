package dev.fanout.gar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Environment;
import dev.fanout.testing.MovableClock;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run's token against real google-auth and the stub token endpoint, with a clock the test
 * moves.
 */
@DisplayName("The run's access token")
class AccessTokensTest {

  @TempDir Path folder;
  private GoogleStub stub;
  private Environment environment;
  private final MovableClock clock = new MovableClock(Instant.now());

  @BeforeEach
  void start() throws Exception {
    stub =
        GoogleStub.start(GoogleFixtures.keys().getPublic(), "ya29.first")
            .issue("ya29.first", "ya29.second");
    Path key = GoogleFixtures.serviceAccountKey(folder, stub.tokenUri());
    environment =
        Environment.of(
            Map.of(
                GoogleCredentialChain.APPLICATION_CREDENTIALS,
                key.toString(),
                GoogleCredentialChain.NO_GCE_CHECK,
                "true"));
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  private AccessTokens tokens() {
    return new AccessTokens(clock, GoogleCredentialChain::new);
  }

  @Test
  @DisplayName("is fetched once and reused while more than ten minutes of its life are left")
  void reused() throws Exception {
    AccessTokens tokens = tokens();
    assertEquals("ya29.first", tokens.token(environment));
    clock.advance(Duration.ofMinutes(45));
    assertEquals("ya29.first", tokens.token(environment));
    assertEquals(1, stub.tokenRequests());
  }

  @Test
  @DisplayName("is renewed once less than ten minutes of its life are left")
  void renewedBeforeExpiry() throws Exception {
    AccessTokens tokens = tokens();
    assertEquals("ya29.first", tokens.token(environment));
    clock.advance(Duration.ofMinutes(51));
    assertEquals("ya29.second", tokens.token(environment));
    assertEquals(2, stub.tokenRequests());
  }

  @Test
  @DisplayName("is renewed after it was refused")
  void renewedAfterInvalidation() throws Exception {
    AccessTokens tokens = tokens();
    tokens.token(environment);
    tokens.invalidate();
    assertEquals("ya29.second", tokens.token(environment));
    assertEquals(2, stub.tokenRequests());
  }

  @Test
  @DisplayName("given as GOOGLE_OAUTH_ACCESS_TOKEN, is used as it is and never fetched")
  void explicitToken() throws Exception {
    AccessTokens tokens = tokens();
    Environment explicit = Environment.of(Map.of(GoogleCredentialChain.ACCESS_TOKEN, "ya29.given"));
    tokens.invalidate();
    clock.advance(Duration.ofHours(2));
    assertEquals("ya29.given", tokens.token(explicit));
    assertEquals(0, stub.tokenRequests());
  }

  @Test
  @DisplayName(
      "that the token endpoint refuses fails with the principal and Google's answer, not the key")
  void refusedByTokenEndpoint() throws Exception {
    PublicKey otherKey = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic();
    try (GoogleStub strict = GoogleStub.start(otherKey, "ya29.never")) {
      Path key = GoogleFixtures.serviceAccountKey(folder.resolve("strict"), strict.tokenUri());
      IOException failure =
          assertThrows(
              IOException.class,
              () ->
                  tokens()
                      .token(
                          Environment.of(
                              Map.of(
                                  GoogleCredentialChain.APPLICATION_CREDENTIALS, key.toString()))));
      assertTrue(
          failure
              .getMessage()
              .startsWith(
                  "could not get an access token for service account "
                      + GoogleFixtures.CLIENT_EMAIL),
          failure::getMessage);
      assertTrue(failure.getMessage().contains("invalid_grant"), failure::getMessage);
      assertFalse(failure.getMessage().contains("PRIVATE KEY"), failure::getMessage);
    }
  }
}
