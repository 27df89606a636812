package dev.fanout.gar;

import com.google.auth.oauth2.GoogleCredentials;
import java.util.Optional;

/**
 * The Google credentials a run uses, with what Fanout says about them: who they act as, and where
 * they came from.
 *
 * @param credentials google-auth's credentials, scoped to {@code cloud-platform}
 * @param refreshable false for an access token given as it is, which cannot be renewed
 * @param principal who the credentials act as, for messages
 * @param member the IAM member to grant a role to, when known ({@code serviceAccount:...})
 * @param origin where they came from, for example "the service account key in
 *     $GOOGLE_APPLICATION_CREDENTIALS"
 */
record GoogleAccount(
    GoogleCredentials credentials,
    boolean refreshable,
    String principal,
    Optional<String> member,
    String origin) {

  /** Names the principal and the origin; never the token. */
  @Override
  public String toString() {
    return "GoogleAccount[" + principal + ", from " + origin + "]";
  }
}
