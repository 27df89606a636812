package dev.fanout.gar;

import dev.fanout.Environment;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes sure a target's Artifact Registry repository can take the push, with the Artifact Registry
 * API: it exists (or is created, when the target opts in), holds Docker images and is a standard
 * repository. Each repository is checked once per run; an API refusal is explained with the
 * principal, the role it lacks and the command that grants it.
 */
final class RepositoryCheck {

  /** The role a principal needs to create repositories in a project. */
  static final String ADMIN_ROLE = "roles/artifactregistry.admin";

  /** The Google reason for an API that is not enabled in the project. */
  static final String SERVICE_DISABLED = "SERVICE_DISABLED";

  private final AccessTokens tokens;
  private final ArtifactRegistryApi.Timing timing;
  private final Map<String, Object> repositoryLocks = new ConcurrentHashMap<>();
  private final Set<String> readyRepositories = ConcurrentHashMap.newKeySet();

  RepositoryCheck(AccessTokens tokens, ArtifactRegistryApi.Timing timing) {
    this.tokens = tokens;
    this.timing = timing;
  }

  /**
   * Readies a repository for a push.
   *
   * @param name the repository's name
   * @param create whether to create it when it is missing
   * @param environment the pipeline's environment
   * @param notes receives what was done, for the report
   * @throws IOException when the repository cannot take the push, explained
   * @throws InterruptedException when the run is interrupted
   */
  void ensure(GarName name, boolean create, Environment environment, List<String> notes)
      throws IOException, InterruptedException {
    String resource = name.repositoryResource();
    synchronized (repositoryLocks.computeIfAbsent(resource, key -> new Object())) {
      if (readyRepositories.contains(resource)) {
        return;
      }
      GoogleAccount account = tokens.account(environment);
      try (ArtifactRegistryApi api =
          new ArtifactRegistryApi(
              GarEndpoints.api(environment),
              new ArtifactRegistryApi.Tokens() {
                @Override
                public String token() throws IOException {
                  return tokens.token(environment);
                }

                @Override
                public void invalidate() {
                  tokens.invalidate();
                }
              },
              Optional.ofNullable(account.credentials().getQuotaProjectId()),
              timing)) {
        Optional<ArtifactRegistryApi.RepositoryInfo> found;
        try {
          found = api.repository(name);
        } catch (ApiFailure failure) {
          throw explain(failure, name, account, environment, false);
        }
        if (found.isPresent()) {
          usable(name, found.get());
        } else if (!create) {
          throw new IOException(
              name.describeRepository()
                  + " does not exist, and Artifact Registry does not create repositories on push:"
                  + " create it with: "
                  + name.createCommand()
                  + "; or let Fanout create it with Target.option(GarOptions.CREATE_REPOSITORY,"
                  + " \"true\") ("
                  + GarOptions.CREATE_REPOSITORY
                  + "=true)");
        } else {
          boolean created;
          try {
            created = api.createRepository(name);
          } catch (ApiFailure failure) {
            throw explain(failure, name, account, environment, true);
          }
          notes.add(
              created
                  ? "created " + name.describeRepository() + ", format DOCKER"
                  : name.describeRepository() + " was created meanwhile by another client");
        }
      }
      readyRepositories.add(resource);
    }
  }

  private static void usable(GarName name, ArtifactRegistryApi.RepositoryInfo repository)
      throws IOException {
    if (!repository.format().equals(ArtifactRegistryApi.DOCKER)) {
      throw new IOException(
          name.describeRepository()
              + " holds "
              + repository.format()
              + " packages, not Docker images; push to a Docker repository");
    }
    if (!repository.mode().equals(ArtifactRegistryApi.STANDARD_REPOSITORY)) {
      throw new IOException(
          name.describeRepository()
              + " is a "
              + repository.mode()
              + ", which serves pulls only; push to a standard repository");
    }
  }

  private static IOException explain(
      ApiFailure failure,
      GarName name,
      GoogleAccount account,
      Environment environment,
      boolean creating) {
    String api =
        " [" + failure.getMessage() + ", at " + GarEndpoints.describeApi(environment) + "]";
    boolean disabled =
        failure.reason().filter(SERVICE_DISABLED::equals).isPresent()
            || failure.apiMessage().contains("has not been used in project")
            || failure.apiMessage().contains("it is disabled");
    if (failure.httpStatus() == 403 && disabled) {
      return new IOException(
          "the Artifact Registry API is not enabled in project "
              + name.project()
              + ": gcloud services enable artifactregistry.googleapis.com --project="
              + name.project()
              + api,
          failure);
    }
    if (failure.httpStatus() == 403 && creating) {
      return new IOException(
          "permission denied: "
              + account.principal()
              + " may not create "
              + name.describeRepository()
              + "; creating repositories needs "
              + ADMIN_ROLE
              + " on project "
              + name.project()
              + ", or create it once with: "
              + name.createCommand()
              + api,
          failure);
    }
    if (failure.httpStatus() == 403) {
      return new IOException(
          "permission denied: "
              + account.principal()
              + " may not read "
              + name.describeRepository()
              + ", so it may not push to it either; a push needs "
              + GarBackend.WRITER_ROLE
              + " on the repository or its project: "
              + name.grantWriterCommand(account.member().orElse("PRINCIPAL"))
              + api,
          failure);
    }
    if (failure.httpStatus() == 401) {
      return new IOException(
          "Google refused the access token of "
              + account.principal()
              + " (from "
              + account.origin()
              + ")"
              + api,
          failure);
    }
    return new IOException(
        "the Artifact Registry API could not "
            + (creating ? "create " : "read ")
            + name.describeRepository()
            + api,
        failure);
  }
}
