package dev.fanout.examples.ghcr;

import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.RegistryCredential;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GITHUB_ACTOR} with {@code GITHUB_TOKEN}, as {@code docker/login-action} is told to use for
 * GHCR.
 */
final class GitHubTokenCredentials implements CredentialSource {

  @Override
  public Optional<RegistryCredential> resolve(String registryHost, Environment environment) {
    return environment
        .value(GhcrBackend.ACTOR_VARIABLE)
        .flatMap(
            actor ->
                environment
                    .value(GhcrBackend.TOKEN_VARIABLE)
                    .map(token -> RegistryCredential.of(actor, token)));
  }

  @Override
  public Optional<RegistryCredential> resolveLocally(String registryHost, Environment environment) {
    return resolve(registryHost, environment);
  }

  @Override
  public boolean mayProvide(String registryHost, Environment environment) {
    return environment.isSet(GhcrBackend.ACTOR_VARIABLE)
        && environment.isSet(GhcrBackend.TOKEN_VARIABLE);
  }

  @Override
  public List<String> problems(Environment environment) {
    List<String> problems = new ArrayList<>();
    if (!environment.isSet(GhcrBackend.TOKEN_VARIABLE)) {
      problems.add(
          environment.whyNoValue(GhcrBackend.TOKEN_VARIABLE)
              + ": in a workflow, add 'GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}'"
              + " to the step's env and 'packages: write' to the job's permissions");
    }
    if (!environment.isSet(GhcrBackend.ACTOR_VARIABLE)) {
      problems.add(
          environment.whyNoValue(GhcrBackend.ACTOR_VARIABLE)
              + ": GitHub sets it in every job; elsewhere set it to the token's"
              + " user");
    }
    return problems;
  }

  @Override
  public String toString() {
    return "credential from $GITHUB_ACTOR and $GITHUB_TOKEN";
  }
}
