package dev.fanout.ecr;

import dev.fanout.RegistryCredential;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/**
 * A registry token from {@code GetAuthorizationToken}: the credential for {@code docker login}, the
 * endpoint it was issued for, and when it expires. Not a record, so that the secret can never reach
 * a {@code toString}.
 */
final class EcrToken {

  /**
   * The longest a token is kept back from its expiry. A push holds its credential from its first
   * request to its manifest upload, so a token must outlive the push that starts with it; fifteen
   * minutes covers a large image on a slow runner.
   */
  static final Duration REFRESH_AHEAD = Duration.ofMinutes(15);

  /**
   * For a short-lived token (an assumed role's session can be as short as fifteen minutes, and the
   * token never outlives it), the share of its life kept back instead, so that it is still reused
   * for a while rather than fetched again for every target.
   */
  static final int REFRESH_AHEAD_SHARE_OF_LIFE = 4;

  private final RegistryCredential credential;
  private final URI proxyEndpoint;
  private final Instant fetchedAt;
  private final Instant expiresAt;

  EcrToken(RegistryCredential credential, URI proxyEndpoint, Instant fetchedAt, Instant expiresAt) {
    this.credential = credential;
    this.proxyEndpoint = proxyEndpoint;
    this.fetchedAt = fetchedAt;
    this.expiresAt = expiresAt;
  }

  /** The user ({@code AWS}) and password for the registry. */
  RegistryCredential credential() {
    return credential;
  }

  /** The registry endpoint the token was issued for, as {@code docker login} would use it. */
  URI proxyEndpoint() {
    return proxyEndpoint;
  }

  /**
   * Whether the token may still be handed to a push starting at {@code now}: it is, until {@link
   * #REFRESH_AHEAD} before it expires, or a quarter of its life for a token that lives less than an
   * hour.
   */
  boolean usableAt(Instant now) {
    Duration life = Duration.between(fetchedAt, expiresAt);
    Duration share = life.dividedBy(REFRESH_AHEAD_SHARE_OF_LIFE);
    Duration ahead = share.compareTo(REFRESH_AHEAD) < 0 ? share : REFRESH_AHEAD;
    return now.isBefore(expiresAt.minus(ahead));
  }

  /** Names the endpoint and the expiry; never the secret. */
  @Override
  public String toString() {
    return "EcrToken[" + proxyEndpoint + ", expires " + expiresAt + "]";
  }
}
