package dev.fanout.spi;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.fanout.RegistryCredential;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how one target is pushed, as a backend readied it.
 *
 * <p>The endpoint may differ from the target's name (an ECR proxy endpoint, a private endpoint
 * override); the report keeps the target's name.
 *
 * @param endpoint the repository to push to
 * @param credential the credential to present, or empty for anonymous
 */
public record PushDestination(ImageReference endpoint, Optional<RegistryCredential> credential) {

  /** Checks the fields. */
  public PushDestination {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(credential, "credential");
  }
}
