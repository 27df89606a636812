package dev.fanout.examples.ghcr;

import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.spi.PushContext;
import dev.fanout.spi.RegistryBackend;
import dev.fanout.spi.RegistryFailure;
import dev.fanout.spi.TargetSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What GHCR does differently from a plain OCI registry: in GitHub Actions the credential is the
 * job's {@code GITHUB_TOKEN} with {@code GITHUB_ACTOR} as the user; images are named {@code
 * ghcr.io/<owner>/<image>}; and a refused push almost always means a missing permission.
 */
final class GhcrBackend implements RegistryBackend {

  /**
   * The variable holding the token: the job's {@code GITHUB_TOKEN}, or a classic personal token.
   */
  static final String TOKEN_VARIABLE = "GITHUB_TOKEN";

  /** The variable holding the user the token belongs to; GitHub sets it in every job. */
  static final String ACTOR_VARIABLE = "GITHUB_ACTOR";

  /**
   * The variable GitHub sets to the workflow repository's owner, the only one its token may publish
   * for.
   */
  static final String OWNER_VARIABLE = "GITHUB_REPOSITORY_OWNER";

  /**
   * GHCR answers a push without {@code packages: write}, or to a package not linked to the
   * workflow's repository, with 403 and the OCI code {@code DENIED}; retrying cannot help.
   */
  static final String DENIED = "DENIED";

  @Override
  public CredentialSource defaultCredentials() {
    return new GitHubTokenCredentials();
  }

  @Override
  public List<String> validate(TargetSpec target, Environment environment) {
    List<String> problems = new ArrayList<>();
    String repository = target.reference().getRepository();
    if (!repository.contains("/")) {
      problems.add(
          "GHCR names images ghcr.io/<owner>/<image>, and '" + repository + "' has no owner");
    }
    if (target.credentials().isEmpty()) {
      problems.addAll(defaultCredentials().problems(environment));
      String owner = repository.substring(0, Math.max(0, repository.indexOf('/')));
      environment
          .value(OWNER_VARIABLE)
          .map(value -> value.toLowerCase(Locale.ROOT))
          .filter(workflowOwner -> !owner.isEmpty() && !workflowOwner.equals(owner))
          .ifPresent(
              workflowOwner ->
                  problems.add(
                      "the workflow's GITHUB_TOKEN can publish packages of "
                          + workflowOwner
                          + " only, not of "
                          + owner
                          + "; give this target a personal access token with write:packages"));
    }
    return problems;
  }

  @Override
  public RegistryFailure refine(RegistryFailure failure, PushContext context) {
    if (failure.status().orElse(0) == 403 || failure.errorCodes().contains(DENIED)) {
      return failure.permanent(
          "GHCR refused the push ("
              + failure.message()
              + "): the token needs write:packages. In GitHub Actions give the job"
              + " 'permissions: packages: write', and if the package exists already, let this"
              + " repository write to it in the package's settings");
    }
    return failure;
  }
}
