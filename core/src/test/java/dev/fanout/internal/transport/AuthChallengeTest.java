package dev.fanout.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {

  @Test
  @DisplayName("a Bearer challenge gives realm, service and scope whatever their order")
  void parametersInAnyOrder() {
    AuthChallenge challenge =
        AuthChallenge.parse(
                "Bearer scope=\"repository:acme/app:pull,push\",service=\"registry.docker.io\","
                    + "realm=\"https://auth.docker.io/token\"")
            .get(0);

    assertEquals("bearer", challenge.scheme());
    assertEquals(Optional.of("https://auth.docker.io/token"), challenge.parameter("realm"));
    assertEquals(Optional.of("registry.docker.io"), challenge.parameter("service"));
    assertEquals(List.of("repository:acme/app:pull,push"), challenge.scopes());
  }

  @Test
  @DisplayName("several scopes in one quoted value are split at spaces, commas kept inside each")
  void severalScopes() {
    AuthChallenge challenge =
        AuthChallenge.parse(
                "Bearer realm=\"https://r/t\", scope=\"repository:a/b:pull,push"
                    + " repository:c/d:pull\", error=\"insufficient_scope\"")
            .get(0);

    assertEquals(List.of("repository:a/b:pull,push", "repository:c/d:pull"), challenge.scopes());
    assertEquals(Optional.of("insufficient_scope"), challenge.parameter("error"));
  }

  @Test
  @DisplayName("quoted values keep escaped quotes, bare values and upper-case names are read too")
  void quotingAndCase() {
    AuthChallenge challenge =
        AuthChallenge.parse("BEARER Realm=https://r/token ,Service=\"a \\\"quoted\\\" name\"")
            .get(0);

    assertEquals("bearer", challenge.scheme());
    assertEquals(
        Map.of("realm", "https://r/token", "service", "a \"quoted\" name"), challenge.parameters());
  }

  @Test
  @DisplayName("a Basic challenge, as htpasswd registries and ECR send it, is Basic")
  void basic() {
    assertEquals(
        Optional.of(
            new AuthChallenge(
                "basic",
                Map.of(
                    "realm", "https://123.dkr.ecr.eu-west-1.amazonaws.com/",
                    "service", "ecr.amazonaws.com"))),
        AuthChallenge.firstSupported(
            List.of(
                "Basic realm=\"https://123.dkr.ecr.eu-west-1.amazonaws.com/\","
                    + "service=\"ecr.amazonaws.com\"")));
  }

  @Test
  @DisplayName("of several challenges in one header the first Basic or Bearer one is used")
  void severalChallenges() {
    List<AuthChallenge> all =
        AuthChallenge.parse(
            "Negotiate, Bearer realm=\"https://r/t\",service=\"s\", Basic realm=\"x\"");

    assertEquals(
        List.of("negotiate", "bearer", "basic"), all.stream().map(AuthChallenge::scheme).toList());
    assertEquals(
        "bearer",
        AuthChallenge.firstSupported(
                List.of("Negotiate, Bearer realm=\"https://r/t\",service=\"s\", Basic realm=\"x\""))
            .get()
            .scheme());
    assertEquals(Optional.empty(), AuthChallenge.firstSupported(List.of("Negotiate", "")));
  }
}
