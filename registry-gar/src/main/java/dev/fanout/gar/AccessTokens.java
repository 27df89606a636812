package dev.fanout.gar;

import com.google.auth.oauth2.AccessToken;
import dev.fanout.Environment;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * The run's one Google account and its access token, shared by every Artifact Registry target of
 * the run (all locations: an access token is not tied to one) and renewed before it expires.
 * Targets are readied on several threads at once; the first one fetches while the others wait for
 * its token.
 *
 * <p>Never log an {@link AccessToken}: its {@code toString()} prints the token.
 */
final class AccessTokens {

  /**
   * A token is renewed once less than this much of its life is left, so that it outlives the push
   * it is handed to (Jib keeps the password for the whole upload). Google's tokens live an hour.
   */
  static final Duration MIN_REMAINING_LIFE = Duration.ofMinutes(10);

  private final Clock clock;
  private final Function<Environment, GoogleCredentialChain> chains;
  private GoogleAccount account;
  private boolean invalidated;

  AccessTokens(Clock clock, Function<Environment, GoogleCredentialChain> chains) {
    this.clock = clock;
    this.chains = chains;
  }

  /**
   * The run's account, loaded on first use.
   *
   * @param environment the pipeline's environment
   * @return the account
   * @throws IOException when no Google credentials can be found or loaded
   */
  synchronized GoogleAccount account(Environment environment) throws IOException {
    if (account == null) {
      account = chains.apply(environment).load();
    }
    return account;
  }

  /**
   * The run's account, if it has been loaded.
   *
   * @return the account, or empty before the first target was readied
   */
  synchronized Optional<GoogleAccount> loaded() {
    return Optional.ofNullable(account);
  }

  /**
   * A token with at least {@link #MIN_REMAINING_LIFE} left, or one that cannot be renewed (given as
   * it is).
   *
   * @param environment the pipeline's environment
   * @return the token's value
   * @throws IOException when the token cannot be had; the message names the principal, never a
   *     token
   */
  synchronized String token(Environment environment) throws IOException {
    GoogleAccount current = account(environment);
    AccessToken token = current.credentials().getAccessToken();
    if (current.refreshable() && (invalidated || token == null || expiresSoon(token))) {
      try {
        current.credentials().refresh();
      } catch (IOException | RuntimeException e) {
        throw new IOException(
            "could not get an access token for "
                + current.principal()
                + " from "
                + current.origin()
                + ": "
                + e.getMessage(),
            e);
      }
      invalidated = false;
      token = current.credentials().getAccessToken();
    }
    if (token == null || token.getTokenValue() == null || token.getTokenValue().isBlank()) {
      throw new IOException("google-auth gave no access token for " + current.principal());
    }
    return token.getTokenValue();
  }

  /**
   * Makes the next {@link #token(Environment)} fetch a new token, after the registry or the API
   * refused the current one (401). The engine's one re-authentication then gets a fresh token.
   */
  synchronized void invalidate() {
    invalidated = true;
  }

  private boolean expiresSoon(AccessToken token) {
    if (token.getExpirationTime() == null) {
      return false;
    }
    Instant expiry = token.getExpirationTime().toInstant();
    return !clock.instant().plus(MIN_REMAINING_LIFE).isBefore(expiry);
  }
}
