package dev.fanout.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Endpoint safety")
class EndpointSafetyTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "localhost",
        "LOCALHOST:5000",
        "127.0.0.1",
        "127.0.0.1:5000",
        "127.255.3.4:80",
        "::1",
        "[::1]",
        "[::1]:5000",
        "[0:0:0:0:0:0:0:1]:5000"
      })
  @DisplayName("takes a literal loopback address or localhost for this machine")
  void loopback(String host) {
    assertTrue(EndpointSafety.isLoopback(host));
    assertTrue(EndpointSafety.credentialsMayTravel(host, true));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "127.evil.example:5000",
        "127.evil.example",
        "localhost.example",
        "localhost.example:5000",
        "127.0.0.1.nip.io",
        "127.0.0.1.nip.io:5000",
        "127.0.0.256",
        "127.0.0",
        "10.0.0.1",
        "::2",
        "[::ffff:127.0.0.1]",
        ""
      })
  @DisplayName("takes every other host for another machine, whatever its name suggests")
  void notLoopback(String host) {
    assertFalse(EndpointSafety.isLoopback(host));
    assertFalse(EndpointSafety.credentialsMayTravel(host, true));
    assertTrue(EndpointSafety.credentialsMayTravel(host, false));
  }

  @Test
  @DisplayName("lets a credential go to an https URL anywhere and an http URL on this machine only")
  void urls() {
    assertTrue(EndpointSafety.credentialsMayTravel(URI.create("https://auth.example.com/token")));
    assertTrue(EndpointSafety.credentialsMayTravel(URI.create("http://127.0.0.1:5001/token")));
    assertFalse(EndpointSafety.credentialsMayTravel(URI.create("http://127.evil.example/token")));
    assertFalse(EndpointSafety.credentialsMayTravel(URI.create("ftp://127.0.0.1/token")));
  }

  @Test
  @DisplayName("checks an endpoint override once for every backend, reporting each problem")
  void overrides() {
    assertEquals(
        List.of(), EndpointSafety.overrideProblems("X_URL", "https://mirror.example.com", true));
    assertEquals(
        List.of(), EndpointSafety.overrideProblems("X_URL", "http://localhost:5000/", true));
    List<String> problems =
        EndpointSafety.overrideProblems(
            "X_URL", "http://user:pw-9c@127.evil.example:5000/v2/?q=1", true);
    assertEquals(4, problems.size(), problems::toString);
    assertTrue(problems.get(0).contains("must not hold a user or password"), problems::toString);
    assertTrue(problems.get(1).contains("query or fragment"), problems::toString);
    assertTrue(problems.get(2).contains("without a path"), problems::toString);
    assertTrue(
        problems.get(3).contains("plain HTTP to 127.evil.example, which is not this machine"),
        problems::toString);
    assertFalse(String.join(" ", problems).contains("pw-9c"), "an override's password was printed");
    assertTrue(
        EndpointSafety.overrideProblems("X_URL", "ftp://mirror.example.com", false)
            .get(0)
            .contains("must be an http:// or https:// URL"));
    assertTrue(
        EndpointSafety.overrideProblems("X_URL", "not a url", false).get(0).contains("not a URL"));
  }
}
