package dev.fanout.gar;

import dev.fanout.spi.PushContext;
import dev.fanout.spi.RegistryFailure;
import dev.fanout.spi.TargetSpec;
import java.util.Optional;

/**
 * Explains what Artifact Registry answers a refused push with, from the failure's status and OCI
 * codes and the target it is about: a 403 names the principal and the role a push needs; a missing
 * repository ({@value #NAME_UNKNOWN}) names the command that creates it. Both are final.
 */
final class PushRefusals {

  /** The OCI error code a registry gives a push it refuses to a principal. */
  static final String DENIED = "DENIED";

  /** The OCI error code for a repository that does not exist. */
  static final String NAME_UNKNOWN = "NAME_UNKNOWN";

  private final AccessTokens tokens;

  PushRefusals(AccessTokens tokens) {
    this.tokens = tokens;
  }

  /**
   * The failure to act on.
   *
   * @param failure the failure as core classified it
   * @param context the target it is about
   * @return the failure, made final and explained when it is a refusal
   */
  RegistryFailure refine(RegistryFailure failure, PushContext context) {
    int status = failure.status().orElse(0);
    TargetSpec target = context.target();
    Optional<GarName> name = GarName.parse(target.reference()).name();
    boolean ownCredential = target.credentials().isPresent();
    if (status == 403 || failure.errorCodes().contains(DENIED)) {
      return failure.permanent(
          permissionDenied(name, ownCredential) + " (" + failure.message() + ")");
    }
    if (status == 404 && name.isPresent() && failure.errorCodes().contains(NAME_UNKNOWN)) {
      return failure.permanent(
          name.get().describeRepository()
              + " does not exist ("
              + NAME_UNKNOWN
              + "); create it with: "
              + name.get().createCommand()
              + " ("
              + failure.message()
              + ")");
    }
    return failure;
  }

  private String permissionDenied(Optional<GarName> name, boolean own) {
    Optional<GoogleAccount> account = own ? Optional.empty() : tokens.loaded();
    String who =
        own
            ? "the target's own credential"
            : account.map(GoogleAccount::principal).orElse("the principal of the access token");
    String member = account.flatMap(GoogleAccount::member).orElse("PRINCIPAL");
    String grant =
        name.map(found -> found.grantWriterCommand(member))
            .orElse(
                "gcloud artifacts repositories add-iam-policy-binding REPOSITORY"
                    + " --location=LOCATION --project=PROJECT --member="
                    + member
                    + " --role="
                    + GarBackend.WRITER_ROLE);
    return "permission denied: "
        + who
        + " may not push to "
        + name.map(GarName::describeRepository).orElse("this Artifact Registry repository")
        + "; a push needs "
        + GarBackend.WRITER_ROLE
        + " on the repository or its project: "
        + grant;
  }
}
