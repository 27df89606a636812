package dev.fanout.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("BasicAuth")
class BasicAuthTest {

  @Test
  @DisplayName("toString shows the username and redacts the password")
  void toStringRedactsPassword() {
    assertEquals("BasicAuth[username=alice, password=***]",
        new BasicAuth("alice", "hunter2").toString());
  }

  @Test
  @DisplayName("a username with ':' or an empty password is refused up front")
  void refusesUnusableValues() {
    assertThrows(IllegalArgumentException.class, () -> new BasicAuth("ali:ce", "pw"));
    assertThrows(IllegalArgumentException.class, () -> new BasicAuth("", "pw"));
    assertThrows(IllegalArgumentException.class, () -> new BasicAuth("alice", ""));
  }

  @Test
  @DisplayName("the Authorization header is Basic with base64 of user:password")
  void buildsTheAuthorizationHeader() {
    assertEquals("Basic YWxpY2U6cGE6c3M=", new BasicAuth("alice", "pa:ss").basicAuthorization());
  }
}
