package dev.fanout;

import dev.fanout.internal.credentials.HeldSecrets;
import java.util.Objects;

/**
 * A user name and a secret (password, token) for one registry.
 *
 * <p>The secret never appears in {@link #toString()}; read it with {@link #secret()} only to hand
 * it to the registry. Not a record on purpose: a record's generated {@code toString} would print it.
 *
 * <p>Each credential is announced to the runs in progress as it is made, so that they mask it
 * (GitHub Actions' {@code ::add-mask::}) and scrub it from what they print before anything could
 * quote it: a credential read from the environment, {@code config.json} or a credential helper, or
 * a token a backend obtained.
 */
public final class RegistryCredential {

  private final String username;
  private final String secret;

  private RegistryCredential(String username, String secret) {
    this.username = username;
    this.secret = secret;
  }

  /**
   * A credential, announced to the runs in progress.
   *
   * @param username the user name; not blank
   * @param secret the password or token; not blank
   * @return the credential
   */
  public static RegistryCredential of(String username, String secret) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(secret, "secret");
    if (username.isBlank()) {
      throw new IllegalArgumentException("a registry credential needs a user name");
    }
    if (secret.isBlank()) {
      throw new IllegalArgumentException("the credential for user '" + username + "' has a blank secret");
    }
    RegistryCredential credential = new RegistryCredential(username, secret);
    HeldSecrets.read(username, secret);
    return credential;
  }

  /**
   * The user name.
   *
   * @return the user name
   */
  public String username() {
    return username;
  }

  /**
   * The secret, for sending to the registry and nothing else.
   *
   * @return the password or token
   */
  public String secret() {
    return secret;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RegistryCredential that
        && username.equals(that.username)
        && secret.equals(that.secret);
  }

  @Override
  public int hashCode() {
    return Objects.hash(username, secret);
  }

  /** Names the user and hides the secret. */
  @Override
  public String toString() {
    return "RegistryCredential[username=" + username + ", secret=****]";
  }
}
