package dev.fanout.dockerhub;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.RegistryCredential;
import dev.fanout.spi.PushContext;
import dev.fanout.spi.PushDestination;
import dev.fanout.spi.RegistryBackend;
import dev.fanout.spi.RegistryFailure;
import dev.fanout.spi.TargetSpec;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Pushes to Docker Hub: folds its host names and {@code library/} into one name, checks Docker
 * Hub's naming rules while planning, logs in with {@code DOCKERHUB_USERNAME} and {@code
 * DOCKERHUB_TOKEN}, notes the pull quota in the report, and turns a pull-limit 429 that will not
 * pass in time into a plain final failure.
 */
final class DockerHubBackend implements RegistryBackend {

  private final Clock clock;
  private final Map<String, String> quotaNotes = new HashMap<>();

  DockerHubBackend() {
    this(Clock.systemUTC());
  }

  DockerHubBackend(Clock clock) {
    this.clock = clock;
  }

  @Override
  public ImageReference normalize(ImageReference reference) {
    return DockerHubNames.normalize(reference);
  }

  @Override
  public List<String> validate(TargetSpec target, Environment environment) {
    List<String> problems =
        new ArrayList<>(DockerHubNames.problems(target.reference().getRepository()));
    target
        .options()
        .keySet()
        .forEach(
            key ->
                problems.add(
                    "unknown option '"
                        + key
                        + "': the dockerhub backend takes no options; it reads the DOCKERHUB_*"
                        + " variables"));
    if (target.credentials().isEmpty()) {
      problems.addAll(defaultCredentials().problems(environment));
    }
    List<String> endpointProblems = DockerHubEndpoints.problems(environment);
    problems.addAll(endpointProblems);
    if (endpointProblems.isEmpty()) {
      DockerHubEndpoints endpoints = DockerHubEndpoints.of(environment);
      if (endpoints.plainHttp() && !target.plainHttp()) {
        problems.add(
            DockerHub.REGISTRY_URL_VARIABLE + " is plain HTTP (" + endpoints.registry()
                + "); allow it for this target with Target.allowPlainHttp()");
      }
      if (target.plainHttp() && !endpoints.registryOverridden()) {
        problems.add(
            "allowPlainHttp() does not apply to Docker Hub, which is HTTPS only; it is for an"
                + " http:// loopback " + DockerHub.REGISTRY_URL_VARIABLE);
      }
    }
    quotaCheckSetting(environment)
        .ifPresent(
            value -> {
              if (!value.equals("true") && !value.equals("false")) {
                problems.add(
                    DockerHub.QUOTA_CHECK_VARIABLE + " must be true or false, not '" + value + "'");
              }
            });
    return problems;
  }

  /** {@link DockerHub#REGISTRY_URL_VARIABLE}'s host when it is set, else Docker Hub's registry. */
  @Override
  public String pushHost(TargetSpec target, Environment environment) {
    return DockerHubEndpoints.problems(environment).isEmpty()
        ? DockerHubEndpoints.of(environment).registryHost()
        : target.reference().getRegistry();
  }

  @Override
  public CredentialSource defaultCredentials() {
    return DockerHub.credentials();
  }

  /**
   * Resolves the credential for Docker Hub (never for the override's host: a mirror gets the
   * Docker Hub login), points the push at the override when there is one, and notes the pull
   * quota once per account and run.
   */
  @Override
  public PushDestination prepare(TargetSpec target, Environment environment)
      throws IOException, InterruptedException {
    DockerHubEndpoints endpoints = DockerHubEndpoints.of(environment);
    CredentialSource source = target.credentials().orElseGet(this::defaultCredentials);
    Optional<RegistryCredential> credential =
        source.resolve(target.reference().getRegistry(), environment);
    ImageReference endpoint =
        ImageReference.of(endpoints.registryHost(), target.reference().getRepository(), null);
    List<String> notes = new ArrayList<>();
    if (endpoints.registryOverridden()) {
      notes.add("pushed through " + DockerHub.REGISTRY_URL_VARIABLE + " " + endpoints.registry());
    }
    if (!quotaCheckSetting(environment).orElse("true").equals("false")) {
      notes.add(quotaNote(endpoints, credential));
    }
    return new PushDestination(endpoint, credential, notes);
  }

  /** Makes a pull-limit 429 that will not reset before the target's deadline final, explained. */
  @Override
  public RegistryFailure refine(RegistryFailure failure, PushContext context) {
    return PullLimit.explain(failure, context, clock.instant())
        .map(failure::permanent)
        .orElse(failure);
  }

  private synchronized String quotaNote(
      DockerHubEndpoints endpoints, Optional<RegistryCredential> credential)
      throws InterruptedException {
    String account = credential.map(RegistryCredential::username).orElse("");
    String note = quotaNotes.get(account);
    if (note == null) {
      note = askQuota(endpoints, credential);
      quotaNotes.put(account, note);
    }
    return note;
  }

  private static String askQuota(
      DockerHubEndpoints endpoints, Optional<RegistryCredential> credential)
      throws InterruptedException {
    String whose = credential.map(found -> " for " + found.username()).orElse(" (anonymous)");
    try {
      return new QuotaCheck(endpoints)
          .check(credential)
          .map(quota -> "Docker Hub pull quota" + whose + ": " + quota)
          .orElse("Docker Hub pulls are not limited" + whose + " (no rate-limit headers)");
    } catch (IOException e) {
      return "Docker Hub pull quota unknown: "
          + Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName());
    }
  }

  private static Optional<String> quotaCheckSetting(Environment environment) {
    return environment
        .value(DockerHub.QUOTA_CHECK_VARIABLE)
        .map(value -> value.trim().toLowerCase(Locale.ROOT));
  }
}
