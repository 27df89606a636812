package dev.fanout.spi;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.RegistryCredential;
import dev.fanout.RetryPolicy;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a registry backend adds to the generic push: how its names are written, what it checks
 * before any I/O, and how it readies a target (credentials, repository).
 *
 * <p>Every method has a default that suits a plain OCI registry, so a backend overrides only what
 * its registry does differently. One instance serves every target of a run that it claims, possibly
 * from several threads at once. Each call gets what it is about (the target, the environment, a
 * failure with its {@link PushContext}), so a backend keeps nothing between calls but caches of
 * what it fetched for the run (tokens, repository checks).
 *
 * <p>A run calls, per target: {@link #prepare} while the image builds; then, during the push,
 * {@link #refine} for each failed request and, once at most, {@link #renewCredential} after the
 * registry refused the prepared credential (401).
 */
public interface RegistryBackend {

  /**
   * The canonical form of a target reference, for example {@code app} → {@code
   * docker.io/library/app}. Called while planning; no I/O.
   *
   * @param reference the reference as parsed
   * @return the reference the plan, the push and the report use
   */
  default ImageReference normalize(ImageReference reference) {
    return reference;
  }

  /**
   * Problems with a target that can be found without I/O, each a sentence naming the problem.
   *
   * @param target the target
   * @param environment the pipeline's environment
   * @return the problems; empty when there are none
   */
  default List<String> validate(TargetSpec target, Environment environment) {
    return List.of();
  }

  /**
   * The registry host (and port) a target's push, and so its credential, goes to, decided without
   * I/O: the target's own unless the backend sends it elsewhere (an endpoint override). The plan
   * refuses a credential that would travel there over plain HTTP unless it is this machine ({@link
   * EndpointSafety}).
   *
   * @param target the target
   * @param environment the pipeline's environment
   * @return the host, as in an image reference; the target's registry unless overridden
   */
  default String pushHost(TargetSpec target, Environment environment) {
    return target.reference().getRegistry();
  }

  /**
   * Where a target's credential comes from when the target names none.
   *
   * @return the default source; Docker's {@code config.json} unless overridden
   */
  default CredentialSource defaultCredentials() {
    return CredentialSource.dockerConfig();
  }

  /**
   * Readies a target for its push: resolves its credential and, where the registry needs it, makes
   * sure the repository exists. May do network I/O; runs before the image is built.
   *
   * @param target the target
   * @param environment the pipeline's environment
   * @return where and how to push
   * @throws IOException when the target cannot be readied; the message must not hold a secret
   * @throws InterruptedException when the run is interrupted
   */
  default PushDestination prepare(TargetSpec target, Environment environment)
      throws IOException, InterruptedException {
    return new PushDestination(target.reference(), credentialOf(target, environment));
  }

  /**
   * A fresh credential for a target whose registry refused the prepared one (401) after the
   * transport's own token refresh, for registries whose credentials expire or are revoked within a
   * run (an ECR token whose role session ended). Called at most once per target; the push then goes
   * on with the new credential, to the same endpoint, once more. The repository is not readied
   * again.
   *
   * @param target the target
   * @param refused the destination whose credential the registry refused
   * @param environment the pipeline's environment
   * @return the credential to present; by default the target's credential source read again
   * @throws IOException when no credential can be had; the message must not hold a secret
   * @throws InterruptedException when the run is interrupted
   */
  default Optional<RegistryCredential> renewCredential(
      TargetSpec target, PushDestination refused, Environment environment)
      throws IOException, InterruptedException {
    return credentialOf(target, environment);
  }

  /**
   * The retry policy for this backend's targets. Override to widen what the registry's quotas need,
   * for example a longer maximum wait for a per-minute quota.
   *
   * @param configured the pipeline's policy
   * @return the policy to apply; the configured one unless overridden
   */
  default RetryPolicy retryPolicy(RetryPolicy configured) {
    return configured;
  }

  /**
   * A client-side limit on manifest uploads per second to one registry host, for registries with a
   * known quota, so that a release does not spend its retries on 429s it could have avoided. Each
   * push attempt counts once per tag, since each tag is one manifest upload.
   *
   * @return the limit, or empty for none (the default)
   */
  default OptionalInt manifestUploadsPerSecond() {
    return OptionalInt.empty();
  }

  /**
   * Applies what this backend knows of its registry to a failed request, for example that an
   * immutable tag will never accept the push, or that a quota will not reset before the deadline.
   * Read the failure's fields (status, error codes, headers, method, path) and the context, not the
   * message, which is for people. No side effects: the engine decides what happens next.
   *
   * @param failure the failure as Fanout classified it
   * @param context the target it is about, its destination, the try and the deadline
   * @return the failure to act on; {@code failure} itself unless overridden
   */
  default RegistryFailure refine(RegistryFailure failure, PushContext context) {
    return failure;
  }

  /** The target's own credential source, else this backend's default, read now. */
  private Optional<RegistryCredential> credentialOf(TargetSpec target, Environment environment)
      throws IOException, InterruptedException {
    return target
        .credentials()
        .orElseGet(this::defaultCredentials)
        .resolve(target.reference().getRegistry(), environment);
  }
}
