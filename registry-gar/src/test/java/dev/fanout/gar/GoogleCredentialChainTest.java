package dev.fanout.gar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.auth.oauth2.ExternalAccountCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.auth.oauth2.UserCredentials;
import com.google.gson.JsonObject;
import dev.fanout.Environment;
import dev.fanout.Verdict;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The credential chain, decided from an {@code Environment} and files in a temporary folder; no
 * network.
 */
@DisplayName("Finding Google credentials")
class GoogleCredentialChainTest {

  private static final URI TOKEN_URI = URI.create("http://127.0.0.1:9/token");

  @TempDir Path folder;

  private GoogleCredentialChain chain(Map<String, String> variables) {
    Map<String, String> all = new HashMap<>(variables);
    all.putIfAbsent("HOME", folder.resolve("home").toString());
    all.putIfAbsent(GoogleCredentialChain.NO_GCE_CHECK, "true");
    return new GoogleCredentialChain(Environment.of(all), folder.resolve("no-dmi"));
  }

  private Path key() throws Exception {
    return GoogleFixtures.serviceAccountKey(folder.resolve("sa"), TOKEN_URI);
  }

  private Path userFile(Path file) throws IOException {
    JsonObject user = new JsonObject();
    user.addProperty("type", "authorized_user");
    user.addProperty("client_id", "764086051850-test.apps.googleusercontent.com");
    user.addProperty("client_secret", "d-FL95Q19q7MQmFpd7hHD0Ty");
    user.addProperty("refresh_token", "1//refresh-token-for-tests");
    return GoogleFixtures.write(file, user);
  }

  @Test
  @DisplayName("takes GOOGLE_OAUTH_ACCESS_TOKEN first, as a token that is not renewed")
  void explicitTokenFirst() throws Exception {
    GoogleAccount account =
        chain(
                Map.of(
                    GoogleCredentialChain.ACCESS_TOKEN,
                    "ya29.explicit",
                    GoogleCredentialChain.APPLICATION_CREDENTIALS,
                    key().toString()))
            .load();

    assertFalse(account.refreshable());
    assertEquals("ya29.explicit", account.credentials().getAccessToken().getTokenValue());
    assertEquals("the access token in $GOOGLE_OAUTH_ACCESS_TOKEN", account.origin());
    assertFalse(account.toString().contains("ya29.explicit"));
  }

  @Test
  @DisplayName(
      "loads the service account key GOOGLE_APPLICATION_CREDENTIALS names, scoped to"
          + " cloud-platform")
  void serviceAccountKey() throws Exception {
    GoogleAccount account =
        chain(Map.of(GoogleCredentialChain.APPLICATION_CREDENTIALS, key().toString())).load();

    ServiceAccountCredentials credentials = (ServiceAccountCredentials) account.credentials();
    assertEquals(GoogleFixtures.CLIENT_EMAIL, credentials.getClientEmail());
    assertTrue(credentials.getScopes().contains(GoogleCredentialChain.CLOUD_PLATFORM));
    assertEquals(TOKEN_URI, credentials.getTokenServerUri());
    assertEquals("service account " + GoogleFixtures.CLIENT_EMAIL, account.principal());
    assertEquals(Optional.of("serviceAccount:" + GoogleFixtures.CLIENT_EMAIL), account.member());
  }

  @Test
  @DisplayName(
      "uses GOOGLE_GHA_CREDS_PATH, as google-github-actions/auth exports it, for a workload"
          + " identity file")
  void githubActionsWorkloadIdentity() throws Exception {
    JsonObject external = new JsonObject();
    external.addProperty("type", "external_account");
    external.addProperty(
        "audience",
        "//iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/github/providers/acme");
    external.addProperty("subject_token_type", "urn:ietf:params:oauth:token-type:jwt");
    // Google's own endpoints, as the action writes them: google-auth accepts no others here.
    // Loading the file sends nothing; only a token exchange would, and this test makes none.
    external.addProperty("token_url", "https://sts.googleapis.com/v1/token");
    external.addProperty(
        "service_account_impersonation_url",
        "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/"
            + GoogleFixtures.CLIENT_EMAIL
            + ":generateAccessToken");
    JsonObject source = new JsonObject();
    source.addProperty("file", folder.resolve("oidc-token").toString());
    external.add("credential_source", source);
    Path file = GoogleFixtures.write(folder.resolve("gha/creds.json"), external);

    GoogleAccount account =
        chain(Map.of(GoogleCredentialChain.GHA_CREDS_PATH, file.toString())).load();

    assertTrue(account.credentials() instanceof ExternalAccountCredentials, account::toString);
    assertEquals(
        "service account "
            + GoogleFixtures.CLIENT_EMAIL
            + " (through workload identity federation)",
        account.principal());
    assertTrue(account.origin().contains("$GOOGLE_GHA_CREDS_PATH"), account::origin);
  }

  @Test
  @DisplayName("finds gcloud's application default credentials in CLOUDSDK_CONFIG, else under HOME")
  void gcloudFile() throws Exception {
    Path config = folder.resolve("gcloud-config");
    userFile(config.resolve(GoogleCredentialChain.ADC_FILE));
    GoogleAccount fromConfig =
        chain(Map.of(GoogleCredentialChain.CLOUDSDK_CONFIG, config.toString())).load();
    assertTrue(fromConfig.credentials() instanceof UserCredentials);
    assertTrue(
        fromConfig
            .origin()
            .startsWith("the user credentials in gcloud's application default credentials"));

    Path home = folder.resolve("user-home");
    userFile(home.resolve(".config/gcloud").resolve(GoogleCredentialChain.ADC_FILE));
    GoogleAccount fromHome = chain(Map.of("HOME", home.toString())).load();
    assertTrue(fromHome.credentials() instanceof UserCredentials);
    assertTrue(
        chain(Map.of("HOME", home.toString()))
            .availability()
            .reason()
            .startsWith("gcloud application default credentials are in"));
  }

  @Test
  @DisplayName(
      "names the file and the problem for a missing file or a credential type it cannot use")
  void unusableFiles() throws Exception {
    Path missing = folder.resolve("absent.json");
    IOException absent =
        assertThrows(
            IOException.class,
            () ->
                chain(Map.of(GoogleCredentialChain.APPLICATION_CREDENTIALS, missing.toString()))
                    .load());
    assertTrue(
        absent.getMessage().contains("$GOOGLE_APPLICATION_CREDENTIALS names " + missing),
        absent::getMessage);

    JsonObject other = new JsonObject();
    other.addProperty("type", "gdch_service_account");
    Path gdch = GoogleFixtures.write(folder.resolve("gdch.json"), other);
    IOException type =
        assertThrows(
            IOException.class,
            () ->
                chain(Map.of(GoogleCredentialChain.APPLICATION_CREDENTIALS, gdch.toString()))
                    .load());
    assertTrue(
        type.getMessage().contains("credential type 'gdch_service_account' Fanout cannot use"),
        type::getMessage);

    Verdict verdict =
        chain(Map.of(GoogleCredentialChain.APPLICATION_CREDENTIALS, gdch.toString()))
            .availability();
    assertFalse(verdict.holds());
    assertTrue(
        verdict.reason().contains("which has credential type 'gdch_service_account'"),
        verdict::reason);
  }

  @Test
  @DisplayName(
      "without credentials says what it tried, and does not ask the metadata server with"
          + " NO_GCE_CHECK=true")
  void nothingFound() {
    Map<String, String> onCloudRun = Map.of("K_SERVICE", "release");
    IOException none = assertThrows(IOException.class, () -> chain(onCloudRun).load());
    assertTrue(
        none.getMessage().startsWith("no Google credentials: GOOGLE_OAUTH_ACCESS_TOKEN is not set"),
        none::getMessage);
    assertTrue(
        none.getMessage().contains("no gcloud credentials in " + folder.resolve("home")),
        none::getMessage);
    assertTrue(
        none.getMessage().contains("the metadata server is not asked (NO_GCE_CHECK=true)"),
        none::getMessage);
    assertFalse(chain(onCloudRun).availability().holds());
  }

  @Test
  @DisplayName(
      "says a credential variable a CI job set to nothing is set but empty, not that it is unset")
  void emptyVariable() {
    IOException none =
        assertThrows(
            IOException.class,
            () -> chain(Map.of(GoogleCredentialChain.APPLICATION_CREDENTIALS, "")).load());
    assertTrue(
        none.getMessage().contains("GOOGLE_APPLICATION_CREDENTIALS is set but empty"),
        none::getMessage);
    assertTrue(
        none.getMessage().contains("GOOGLE_OAUTH_ACCESS_TOKEN is not set"), none::getMessage);
  }

  @Test
  @DisplayName("asks the metadata server only where the environment says it runs on Google Cloud")
  void googleCloudDetection() throws Exception {
    Path dmi = Files.writeString(folder.resolve("product_name"), "Google Compute Engine\n");
    Path otherMachine =
        Files.writeString(folder.resolve("other_product"), "Standard PC (Q35 + ICH9, 2009)\n");

    assertTrue(
        new GoogleCredentialChain(Environment.of(Map.of("K_SERVICE", "release")), otherMachine)
            .onGoogleCloud());
    assertTrue(new GoogleCredentialChain(Environment.of(Map.of()), dmi).onGoogleCloud());
    assertFalse(new GoogleCredentialChain(Environment.of(Map.of()), otherMachine).onGoogleCloud());
    assertFalse(
        new GoogleCredentialChain(Environment.of(Map.of()), folder.resolve("absent"))
            .onGoogleCloud());
    assertFalse(
        new GoogleCredentialChain(
                Environment.of(
                    Map.of(GoogleCredentialChain.NO_GCE_CHECK, "true", "K_SERVICE", "release")),
                dmi)
            .onGoogleCloud());

    GoogleAccount account =
        new GoogleCredentialChain(Environment.of(Map.of("HOME", folder.toString())), dmi).load();
    assertEquals("the metadata server", account.origin());
    assertTrue(
        new GoogleCredentialChain(Environment.of(Map.of("HOME", folder.toString())), dmi)
            .availability()
            .reason()
            .contains("runs on Google Cloud"));
  }
}
