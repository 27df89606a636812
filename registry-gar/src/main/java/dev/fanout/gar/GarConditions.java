package dev.fanout.gar;

import dev.fanout.Condition;

/**
 * Conditions for Artifact Registry targets, to use with {@code Pipeline.when(...)}.
 *
 * <pre>{@code
 * Pipeline.prepare()
 *     .when(googleCredentialsPresent())
 *         .push("europe-docker.pkg.dev/acme/images/app")
 * }</pre>
 */
public final class GarConditions {

  private GarConditions() {}

  /**
   * Holds when the credential chain the Artifact Registry backend uses has a step to use, and says
   * which; when it does not hold, it says what is missing. Decided from the pipeline's environment
   * and local files, without any network call.
   *
   * <p>The steps, in order: {@code GOOGLE_OAUTH_ACCESS_TOKEN}; {@code
   * GOOGLE_APPLICATION_CREDENTIALS} or {@code GOOGLE_GHA_CREDS_PATH} naming a credential file that
   * exists and has a type google-auth loads; gcloud's application default credentials file; running
   * on Google Cloud (a Cloud Run, Cloud Functions or App Engine variable, or a Google Compute
   * Engine machine), unless {@code NO_GCE_CHECK=true}.
   *
   * <p>"Present" means configured, not valid: a revoked key shows up when the target is readied,
   * and the target fails then with Google's answer.
   *
   * @return the condition
   */
  public static Condition googleCredentialsPresent() {
    return environment -> new GoogleCredentialChain(environment).availability();
  }
}
