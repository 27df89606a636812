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
 * from several threads at once.
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
   * Readies a target for its push: resolves its credential and, where the registry needs it,
   * makes sure the repository exists. May do network I/O; runs before the image is built.
   *
   * @param target the target
   * @param environment the pipeline's environment
   * @return where and how to push
   * @throws IOException when the target cannot be readied; the message must not hold a secret
   * @throws InterruptedException when the run is interrupted
   */
  default PushDestination prepare(TargetSpec target, Environment environment)
      throws IOException, InterruptedException {
    CredentialSource source = target.credentials().orElseGet(this::defaultCredentials);
    Optional<RegistryCredential> credential =
        source.resolve(target.reference().getRegistry(), environment);
    return new PushDestination(target.reference(), credential);
  }

  /**
   * The retry policy for this backend's targets. Override to widen what the registry's quotas
   * need, for example a longer maximum wait for a per-minute quota.
   *
   * @param configured the pipeline's policy
   * @return the policy to apply; the configured one unless overridden
   */
  default RetryPolicy retryPolicy(RetryPolicy configured) {
    return configured;
  }

  /**
   * A client-side limit on manifest uploads per second to one registry host, for registries with
   * a known quota, so that a release does not spend its retries on 429s it could have avoided.
   * Each push attempt counts once per tag, since each tag is one manifest upload.
   *
   * @return the limit, or empty for none (the default)
   */
  default OptionalInt manifestUploadsPerSecond() {
    return OptionalInt.empty();
  }

  /**
   * Applies what this backend knows of its registry to a failed attempt, for example that an
   * immutable tag will never accept the push, or that a quota will not reset before the deadline.
   *
   * @param failure the failure as Fanout classified it
   * @return the failure to act on; {@code failure} itself unless overridden
   */
  default RegistryFailure refine(RegistryFailure failure) {
    return failure;
  }
}
