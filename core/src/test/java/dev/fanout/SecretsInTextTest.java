package dev.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Credentials in text")
class SecretsInTextTest {

  private static final String SECRET = "s3cr3t-Pa55word";

  @Test
  @DisplayName("a registry credential prints its user name and hides its secret")
  void credentialToString() {
    RegistryCredential credential = RegistryCredential.of("robot", SECRET);
    assertFalse(credential.toString().contains(SECRET));
    assertTrue(credential.toString().contains("robot"));
    assertEquals(SECRET, credential.secret());
  }

  @Test
  @DisplayName("credential sources, targets and plans never print a secret")
  void sourcesTargetsAndPlans() throws Exception {
    Environment environment = Environment.of(Map.of("U", "robot", "P", SECRET));
    CredentialSource given = CredentialSource.of("robot", SECRET);
    CredentialSource fromEnvironment = CredentialSource.fromEnvironment("U", "P");
    Target target = Target.to("127.0.0.1:5000/demo/app").credentials(given).allowPlainHttp();
    Plan plan =
        Pipeline.prepare(environment)
            .image(com.google.cloud.tools.jib.api.Jib.fromScratch())
            .push(target)
            .push(Target.to("127.0.0.1:5001/demo/app").credentials(fromEnvironment))
            .plan();
    for (Object printed : new Object[] {given, fromEnvironment, target, plan}) {
      assertFalse(printed.toString().contains(SECRET), printed.getClass().getSimpleName());
    }
    assertEquals(SECRET, fromEnvironment.resolve("127.0.0.1:5001", environment).orElseThrow().secret());
  }

  @Test
  @DisplayName("a blank secret is refused with a message naming the user, not the secret")
  void blankSecret() {
    IllegalArgumentException error =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> RegistryCredential.of("robot", " "));
    assertTrue(error.getMessage().contains("robot"));
  }
}
