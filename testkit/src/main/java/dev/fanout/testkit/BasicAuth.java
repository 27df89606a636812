package dev.fanout.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A username and password for a test registry, as {@link LocalRegistry} sets them up and
 * {@link RegistryChecker} sends them.
 *
 * <p>{@link #toString()} redacts the password so that a credentials value can appear in an
 * assertion message or a test log without leaking it, even though the passwords here are test
 * fixtures.
 *
 * @param username the user name; must not be empty or contain {@code ':'}, which Basic auth and
 *     {@code skopeo --creds} both use as the separator
 * @param password the password; must not be empty
 */
public record BasicAuth(String username, String password) {

  /**
   * Checks the values up front, so that a bad fixture fails here rather than as a puzzling 401.
   *
   * @param username the user name, without {@code ':'}
   * @param password the password
   * @throws IllegalArgumentException if the username is empty or contains {@code ':'}, or the
   *     password is empty
   */
  public BasicAuth {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (username.isEmpty() || username.contains(":")) {
      throw new IllegalArgumentException(
          "username must be non-empty and must not contain ':', got '" + username + "'");
    }
    if (password.isEmpty()) {
      throw new IllegalArgumentException("password must not be empty");
    }
  }

  /** The value of an {@code Authorization} header for HTTP Basic auth. */
  String basicAuthorization() {
    byte[] pair = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(pair);
  }

  /**
   * Returns the username with the password redacted.
   *
   * @return {@code BasicAuth[username=..., password=***]}
   */
  @Override
  public String toString() {
    return "BasicAuth[username=" + username + ", password=***]";
  }
}
