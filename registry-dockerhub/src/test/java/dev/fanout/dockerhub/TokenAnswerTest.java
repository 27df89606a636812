package dev.fanout.dockerhub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The quota check's reading of a token service's answer")
class TokenAnswerTest {

  @Test
  @DisplayName("takes token, or access_token when token is missing or empty")
  void eitherField() {
    assertEquals(
        Optional.of("t1"), QuotaCheck.tokenIn("{\"token\":\"t1\",\"access_token\":\"a1\"}"));
    assertEquals(Optional.of("a2"), QuotaCheck.tokenIn("{\"access_token\": \"a2\"}"));
    assertEquals(Optional.of("a3"), QuotaCheck.tokenIn("{\"token\":\"\",\"access_token\":\"a3\"}"));
  }

  @Test
  @DisplayName("reads the token as JSON does: escapes undone, fields in any order and spacing")
  void jsonEscapes() {
    assertEquals(
        Optional.of("a\"b/c"),
        QuotaCheck.tokenIn(
            "{\n  \"expires_in\": 300,\n  \"token\" : \"a\\\"b\\/c\",\n  \"issued_at\": \"x\"\n}"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "",
        "null",
        "[\"token\"]",
        "{\"token\": 42}",
        "{\"token\": null}",
        "{\"expires_in\": 300}",
        "<html>token: \"abc\"</html>",
        "{\"token\":\"unterminated"
      })
  @DisplayName("finds no token in an answer that has none")
  void none(String body) {
    assertEquals(Optional.empty(), QuotaCheck.tokenIn(body));
  }
}
