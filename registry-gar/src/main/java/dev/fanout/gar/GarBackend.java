package dev.fanout.gar;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.RegistryCredential;
import dev.fanout.RetryPolicy;
import dev.fanout.spi.PushContext;
import dev.fanout.spi.PushDestination;
import dev.fanout.spi.RegistryBackend;
import dev.fanout.spi.RegistryFailure;
import dev.fanout.spi.TargetSpec;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Pushes to Google Artifact Registry as user {@value #TOKEN_USER} with an access token from
 * google-auth, after checking (and, when the target opts in, creating) the Docker repository with
 * the Artifact Registry API. One instance serves one run: the token and the repository checks are
 * shared by the run's targets.
 *
 * <p>A target that names its own credential ({@code Target.credentials(...)}) is pushed with it as
 * it is, and its repository is not checked: that target asked for no Google API calls.
 */
final class GarBackend implements RegistryBackend {

  /** The user name Artifact Registry takes with an OAuth2 access token as the password. */
  static final String TOKEN_USER = "oauth2accesstoken";

  /** The role a principal needs to push to a repository (it includes reading the repository). */
  static final String WRITER_ROLE = "roles/artifactregistry.writer";

  private final AccessTokens tokens;
  private final RepositoryCheck repositories;
  private final PushRefusals refusals;

  GarBackend() {
    this(Clock.systemUTC(), GoogleCredentialChain::new, ArtifactRegistryApi.Timing.PRODUCTION);
  }

  GarBackend(
      Clock clock,
      Function<Environment, GoogleCredentialChain> chains,
      ArtifactRegistryApi.Timing timing) {
    this.tokens = new AccessTokens(clock, chains);
    this.repositories = new RepositoryCheck(tokens, timing);
    this.refusals = new PushRefusals(tokens);
  }

  @Override
  public List<String> validate(TargetSpec target, Environment environment) {
    List<String> problems = new ArrayList<>();
    GarName.parse(target.reference()).problem().ifPresent(problems::add);
    problems.addAll(GarOptions.problems(target.options()));
    problems.addAll(GarEndpoints.problems(environment));
    if (target.credentials().isPresent() && GarOptions.createRepository(target.options())) {
      problems.add(
          GarOptions.CREATE_REPOSITORY
              + "=true needs Google credentials, but the target names its own registry credential,"
              + " with which Fanout makes no API call");
    }
    return problems;
  }

  /**
   * {@link GarEndpoints#REGISTRY_ENDPOINT} with the target's location when it is set and usable,
   * else the target's host. The plan lets the access token travel over plain HTTP only to this
   * machine, so {@code allowPlainHttp()} is for a stand-in of Artifact Registry on loopback.
   */
  @Override
  public String pushHost(TargetSpec target, Environment environment) {
    if (!GarEndpoints.problems(environment).isEmpty()) {
      return target.reference().getRegistry();
    }
    return GarName.parse(target.reference())
        .name()
        .map(name -> GarEndpoints.registryHost(name, environment))
        .orElse(target.reference().getRegistry());
  }

  /**
   * The run's Google access token as user {@value #TOKEN_USER}, from the credentials {@link
   * GoogleCredentialChain} finds.
   */
  @Override
  public CredentialSource defaultCredentials() {
    return new CredentialSource() {
      @Override
      public Optional<RegistryCredential> resolve(String registryHost, Environment environment)
          throws IOException {
        return Optional.of(RegistryCredential.of(TOKEN_USER, tokens.token(environment)));
      }

      @Override
      public String toString() {
        return "Google access token as user " + TOKEN_USER;
      }
    };
  }

  @Override
  public PushDestination prepare(TargetSpec target, Environment environment)
      throws IOException, InterruptedException {
    GarName.Parsed parsed = GarName.parse(target.reference());
    GarName name = parsed.name().orElseThrow(() -> new IOException(parsed.problem().orElseThrow()));
    String pushHost = GarEndpoints.registryHost(name, environment);
    List<String> notes = new ArrayList<>();
    if (!pushHost.equals(name.host())) {
      notes.add("pushed through " + pushHost + " (" + GarEndpoints.REGISTRY_ENDPOINT + ")");
    }
    ImageReference endpoint = ImageReference.of(pushHost, target.reference().getRepository(), null);
    if (target.credentials().isPresent()) {
      Optional<RegistryCredential> own =
          target.credentials().get().resolve(target.reference().getRegistry(), environment);
      notes.add("pushed with the target's own credential; the repository was not checked");
      return new PushDestination(endpoint, own, notes);
    }
    Optional<RegistryCredential> credential =
        defaultCredentials().resolve(target.reference().getRegistry(), environment);
    repositories.ensure(name, GarOptions.createRepository(target.options()), environment, notes);
    return new PushDestination(endpoint, credential, notes);
  }

  /** Widened so that a 429 from the per-minute quota can be waited out ({@link QuotaRetries}). */
  @Override
  public RetryPolicy retryPolicy(RetryPolicy configured) {
    return QuotaRetries.widen(configured);
  }

  /** Explains a refused push or a missing repository ({@link PushRefusals}). */
  @Override
  public RegistryFailure refine(RegistryFailure failure, PushContext context) {
    return refusals.refine(failure, context);
  }

  /** A new access token in place of the refused one; a target's own credential is read again. */
  @Override
  public Optional<RegistryCredential> renewCredential(
      TargetSpec target, PushDestination refused, Environment environment) throws IOException {
    if (target.credentials().isPresent()) {
      return target.credentials().get().resolve(target.reference().getRegistry(), environment);
    }
    tokens.invalidate();
    return defaultCredentials().resolve(target.reference().getRegistry(), environment);
  }
}
