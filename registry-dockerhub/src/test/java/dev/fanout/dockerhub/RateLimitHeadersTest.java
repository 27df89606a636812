package dev.fanout.dockerhub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Docker Hub's rate-limit and challenge headers")
class RateLimitHeadersTest {

  @Test
  @DisplayName("give the limit, the pulls left, the window and the source")
  void readsTheQuota() {
    Optional<PullQuota> quota =
        PullQuota.fromHeaders(
            header(
                Map.of(
                    "ratelimit-limit", "100;w=21600",
                    "ratelimit-remaining", "76;w=21600",
                    "docker-ratelimit-source", "192.0.2.1")));
    assertEquals(
        Optional.of(new PullQuota(100, 76, Duration.ofHours(6), Optional.of("192.0.2.1"))), quota);
    assertEquals(
        "76 of 100 pulls left per 6 h (counted for 192.0.2.1)", quota.orElseThrow().toString());
  }

  @Test
  @DisplayName(
      "name the source only when it is an address or an id, never quoting other text from a mirror")
  void sourceIsAnAddressOrId() {
    assertEquals(Optional.of("2001:db8::1"), PullQuota.sourceOf(" 2001:db8::1 "));
    assertEquals(
        Optional.of("0f3c2a1b-6d4e-4b8a-9c7d-2e1f0a9b8c7d"),
        PullQuota.sourceOf("0f3c2a1b-6d4e-4b8a-9c7d-2e1f0a9b8c7d"));
    assertEquals(Optional.empty(), PullQuota.sourceOf("##[stop-commands]token"));
    assertEquals(Optional.empty(), PullQuota.sourceOf("x [login](https://evil.example)"));
    assertEquals(Optional.empty(), PullQuota.sourceOf(""));
  }

  @Test
  @DisplayName("fall back to the documented six-hour window when they give none")
  void defaultWindow() {
    PullQuota quota =
        PullQuota.fromHeaders(header(Map.of("ratelimit-limit", "200", "ratelimit-remaining", "5")))
            .orElseThrow();
    assertEquals(Duration.ofHours(6), quota.window());
    assertEquals("5 of 200 pulls left per 6 h", quota.toString());
  }

  @Test
  @DisplayName("mean unlimited pulls when they are absent")
  void absent() {
    assertEquals(Optional.empty(), PullQuota.fromHeaders(header(Map.of())));
  }

  @Test
  @DisplayName("that cannot be read are reported, not taken for unlimited")
  void unreadable() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            PullQuota.fromHeaders(
                header(Map.of("ratelimit-limit", "lots", "ratelimit-remaining", "1"))));
    assertThrows(
        IllegalArgumentException.class,
        () -> PullQuota.fromHeaders(header(Map.of("ratelimit-remaining", "1;w=21600"))));
  }

  @Test
  @DisplayName("parse a Bearer challenge whose quoted scope holds commas")
  void bearerChallenge() {
    AuthChallenge challenge =
        AuthChallenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                    + "scope=\"repository:samalba/my-app:pull,push\",error=\"insufficient_scope\"")
            .orElseThrow();
    assertEquals("bearer", challenge.scheme());
    assertEquals(Optional.of("https://auth.docker.io/token"), challenge.parameter("realm"));
    assertEquals(Optional.of("registry.docker.io"), challenge.parameter("Service"));
    assertEquals(
        Optional.of("repository:samalba/my-app:pull,push"), challenge.parameter("scope"));
    assertEquals(Optional.of("insufficient_scope"), challenge.parameter("error"));
  }

  @Test
  @DisplayName("parse a Basic challenge and unquoted values")
  void basicChallenge() {
    AuthChallenge challenge = AuthChallenge.parse("Basic realm=fanout-testkit").orElseThrow();
    assertEquals("basic", challenge.scheme());
    assertEquals(Optional.of("fanout-testkit"), challenge.parameter("realm"));
  }

  private static java.util.function.Function<String, Optional<String>> header(
      Map<String, String> headers) {
    return name -> Optional.ofNullable(headers.get(name));
  }
}
