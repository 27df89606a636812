package dev.fanout.ecr;

import static dev.fanout.ecr.EcrConditions.awsCredentialsPresent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Environment;
import dev.fanout.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("awsCredentialsPresent()")
class EcrConditionsTest {

  @TempDir Path home;

  private Verdict evaluate(Map<String, String> variables) {
    Map<String, String> all = new HashMap<>(variables);
    all.putIfAbsent("HOME", home.toString());
    return awsCredentialsPresent().evaluate(Environment.of(all));
  }

  @Test
  @DisplayName("holds with an access key pair and names the variables, never their values")
  void accessKeys() {
    Verdict verdict =
        evaluate(Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "s3cr3t-value"));
    assertEquals(Verdict.yes("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set"), verdict);
  }

  @Test
  @DisplayName(
      "does not hold with half a key pair, and says which half is missing: a blank one is set but"
          + " empty")
  void halfAPair() {
    Verdict verdict = evaluate(Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", " "));
    assertFalse(verdict.holds());
    assertTrue(
        verdict.reason().contains("AWS_SECRET_ACCESS_KEY is set but empty (its partner is set)"),
        verdict::reason);
    assertFalse(verdict.reason().contains("AKIDEXAMPLE"), verdict::reason);
  }

  @Test
  @DisplayName("holds with a web identity role whose token file exists, and not when the file is missing")
  void webIdentity() throws Exception {
    Path token = Files.writeString(home.resolve("token"), "eyJ.web.identity");
    Verdict present =
        evaluate(Map.of("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci", "AWS_WEB_IDENTITY_TOKEN_FILE", token.toString()));
    assertEquals(Verdict.yes("web identity is set (AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE)"), present);
    Verdict missing =
        evaluate(
            Map.of(
                "AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci",
                "AWS_WEB_IDENTITY_TOKEN_FILE", home.resolve("absent").toString()));
    assertFalse(missing.holds());
    assertTrue(missing.reason().contains("AWS_WEB_IDENTITY_TOKEN_FILE names a file that does not exist"), missing::reason);
  }

  @Test
  @DisplayName("holds with the named profile in the credentials file, and not with another profile")
  void profile() throws Exception {
    Path credentials =
        Files.writeString(
            home.resolve("credentials"),
            "[release]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = s3cr3t\n");
    Verdict named =
        evaluate(Map.of("AWS_PROFILE", "release", "AWS_SHARED_CREDENTIALS_FILE", credentials.toString()));
    assertEquals(Verdict.yes("AWS profile 'release' is configured"), named);
    Verdict other = evaluate(Map.of("AWS_SHARED_CREDENTIALS_FILE", credentials.toString()));
    assertFalse(other.holds());
    assertTrue(other.reason().contains("no profile 'default' in [" + credentials + "]"), other::reason);
  }

  @Test
  @DisplayName("holds with the default profile in $HOME/.aws/config")
  void defaultProfileInConfig() throws Exception {
    Files.createDirectories(home.resolve(".aws"));
    Files.writeString(home.resolve(".aws/config"), "[default]\nregion = eu-west-1\nsso_session = corp\n");
    assertEquals(Verdict.yes("AWS profile 'default' is configured"), evaluate(Map.of()));
  }

  @Test
  @DisplayName("holds with container credentials")
  void container() {
    assertEquals(
        Verdict.yes("container credentials are set (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)"),
        evaluate(Map.of("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc")));
  }

  @Test
  @DisplayName("does not hold with nothing configured, and lists every step it looked at")
  void nothing() {
    Verdict verdict = evaluate(Map.of());
    assertEquals(
        Verdict.no(
            "no AWS credentials: AWS_ACCESS_KEY_ID is not set, no web identity (AWS_ROLE_ARN,"
                + " AWS_WEB_IDENTITY_TOKEN_FILE), no AWS profile files, no container credentials"
                + " (the instance metadata service is never asked)"),
        verdict);
  }
}
