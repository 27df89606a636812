package dev.fanout.gar;

import com.google.gson.JsonObject;
import dev.fanout.Environment;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Credential files and environments for tests, made here rather than checked in. */
final class GoogleFixtures {

  static final String PROJECT = "acme";
  static final String CLIENT_EMAIL = "fanout-ci@acme.iam.gserviceaccount.com";

  /**
   * The production waits' shapes in milliseconds instead of seconds: 7 attempts a call, waits
   * doubling from 1 ms to at most 30 ms; looks at an operation from 1 ms, doubling to 15 ms.
   */
  static final ArtifactRegistryApi.Timing FAST_API =
      new ArtifactRegistryApi.Timing(
          ArtifactRegistryApi.CALL_RETRIES.toBuilder()
              .setInitialRetryDelayDuration(Duration.ofMillis(1))
              .setMaxRetryDelayDuration(Duration.ofMillis(30))
              .build(),
          ArtifactRegistryApi.OPERATION_POLLS.toBuilder()
              .setInitialRetryDelayDuration(Duration.ofMillis(1))
              .setMaxRetryDelayDuration(Duration.ofMillis(15))
              .build());

  private static KeyPair keys;

  private GoogleFixtures() {}

  /**
   * One RSA key pair for the whole test run: generating one takes a noticeable fraction of a
   * second.
   */
  static synchronized KeyPair keys() throws GeneralSecurityException {
    if (keys == null) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      keys = generator.generateKeyPair();
    }
    return keys;
  }

  /**
   * Writes a service account key file, as the Cloud console hands one out, whose {@code token_uri}
   * is the stub's token endpoint.
   */
  static Path serviceAccountKey(Path folder, URI tokenUri)
      throws IOException, GeneralSecurityException {
    JsonObject key = new JsonObject();
    key.addProperty("type", "service_account");
    key.addProperty("project_id", PROJECT);
    key.addProperty("private_key_id", "0123456789abcdef0123456789abcdef01234567");
    key.addProperty(
        "private_key",
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys().getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    key.addProperty("client_email", CLIENT_EMAIL);
    key.addProperty("client_id", "108240583210001234567");
    key.addProperty("token_uri", tokenUri.toString());
    return write(folder.resolve("key.json"), key);
  }

  static Path write(Path file, JsonObject json) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, json.toString(), StandardCharsets.UTF_8);
    return file;
  }

  /**
   * The environment of a push through the stubs: the key, both endpoint overrides, no metadata
   * server, and a home folder without gcloud credentials.
   */
  static Environment environment(Path key, GoogleStub stub, String registryHost, Path home) {
    Map<String, String> variables = new HashMap<>();
    variables.put(GoogleCredentialChain.APPLICATION_CREDENTIALS, key.toString());
    variables.put(GoogleCredentialChain.NO_GCE_CHECK, "true");
    variables.put("HOME", home.toString());
    variables.put(GarEndpoints.API_ENDPOINT, stub.endpoint());
    variables.put(GarEndpoints.REGISTRY_ENDPOINT, registryHost);
    return Environment.of(variables);
  }
}
