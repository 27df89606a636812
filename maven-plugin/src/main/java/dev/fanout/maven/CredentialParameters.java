package dev.fanout.maven;

/**
 * A {@code <credentials>} element: where a registry credential comes from. Exactly one of its kinds
 * is given.
 *
 * <ul>
 *   <li>{@code <usernameVariable>} and {@code <passwordVariable>}: two environment variables;
 *   <li>{@code <server>}: a {@code settings.xml} server by id, its password decrypted the Maven
 *       way;
 *   <li>{@code <dockerConfig>true</dockerConfig>}: Docker's {@code config.json};
 *   <li>{@code <anonymous>true</anonymous>}: no credential.
 * </ul>
 *
 * <p>Without a {@code <credentials>} element, a {@code settings.xml} server whose id is the
 * registry's host ({@code docker.io} for Docker Hub) is used when there is one, else the backend's
 * default.
 */
public class CredentialParameters {

  /** The environment variable holding the user name. */
  String usernameVariable;

  /** The environment variable holding the password or token. */
  String passwordVariable;

  /** The id of a {@code <server>} in {@code settings.xml}. */
  String server;

  /** Whether to read Docker's {@code config.json}. */
  boolean dockerConfig;

  /** Whether to push or pull without a credential. */
  boolean anonymous;
}
