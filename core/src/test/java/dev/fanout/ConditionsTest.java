package dev.fanout;

import static dev.fanout.Conditions.always;
import static dev.fanout.Conditions.credentialPresent;
import static dev.fanout.Conditions.never;
import static dev.fanout.Conditions.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Conditions")
class ConditionsTest {

  private static final Environment CI =
      Environment.of(
          Map.of("DOCKERHUB_USERNAME", "acme", "DOCKERHUB_TOKEN", "", "AWS_REGION", "   "));

  @Test
  @DisplayName("credentialPresent holds when every variable is set and says so")
  void credentialPresentHolds() {
    Verdict verdict = credentialPresent("DOCKERHUB_USERNAME").evaluate(CI);
    assertTrue(verdict.holds());
    assertEquals("DOCKERHUB_USERNAME is set", verdict.reason());
  }

  @Test
  @DisplayName(
      "credentialPresent fails for unset, empty and blank variables and tells unset from empty")
  void credentialPresentNamesMissing() {
    Verdict verdict =
        credentialPresent("DOCKERHUB_USERNAME", "DOCKERHUB_TOKEN", "AWS_REGION", "GHCR_TOKEN")
            .evaluate(CI);
    assertFalse(verdict.holds());
    assertEquals(
        "GHCR_TOKEN is not set; DOCKERHUB_TOKEN and AWS_REGION are set but empty",
        verdict.reason());
  }

  @Test
  @DisplayName("credentialPresent says a variable set to nothing is set but empty, not unset")
  void credentialPresentEmpty() {
    assertEquals(
        "DOCKERHUB_TOKEN is set but empty",
        credentialPresent("DOCKERHUB_TOKEN").evaluate(CI).reason());
  }

  @Test
  @DisplayName("a reason never contains a variable's value")
  void reasonHasNoValue() {
    Verdict verdict = credentialPresent("DOCKERHUB_USERNAME").evaluate(CI);
    assertFalse(verdict.reason().contains("acme"));
  }

  @Test
  @DisplayName("and explains a failure by the first part that failed")
  void andUsesFirstFailure() {
    Verdict verdict =
        credentialPresent("DOCKERHUB_USERNAME").and(credentialPresent("DOCKERHUB_TOKEN")).evaluate(CI);
    assertFalse(verdict.holds());
    assertEquals("DOCKERHUB_TOKEN is set but empty", verdict.reason());
  }

  @Test
  @DisplayName("or holds when either part holds and lists both reasons when neither does")
  void orCombines() {
    assertTrue(never().or(credentialPresent("DOCKERHUB_USERNAME")).evaluate(CI).holds());
    Verdict verdict = credentialPresent("A").or(credentialPresent("B")).evaluate(CI);
    assertFalse(verdict.holds());
    assertEquals("A is not set, and B is not set", verdict.reason());
  }

  @Test
  @DisplayName("not inverts a condition and keeps its reason")
  void notInverts() {
    Verdict verdict = not(credentialPresent("DOCKERHUB_USERNAME")).evaluate(CI);
    assertFalse(verdict.holds());
    assertEquals("DOCKERHUB_USERNAME is set", verdict.reason());
  }

  @Test
  @DisplayName("always and never need no environment")
  void alwaysAndNever() {
    assertTrue(always().evaluate(Environment.of(Map.of())).holds());
    assertFalse(never().evaluate(Environment.of(Map.of())).holds());
  }

  @Test
  @DisplayName("credentialPresent rejects an empty list or a blank name at once")
  void credentialPresentFailsFast() {
    assertThrows(IllegalArgumentException.class, Conditions::credentialPresent);
    assertThrows(IllegalArgumentException.class, () -> credentialPresent("A", " "));
  }
}
