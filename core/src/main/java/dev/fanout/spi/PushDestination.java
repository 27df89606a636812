package dev.fanout.spi;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.fanout.RegistryCredential;
import java.util.List;
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
 * @param notes facts for the report, such as a remaining pull quota; never secrets
 */
public record PushDestination(
    ImageReference endpoint, Optional<RegistryCredential> credential, List<String> notes) {

  /**
   * Checks the fields and copies the notes.
   *
   * @param endpoint the repository to push to
   * @param credential the credential to present, or empty for anonymous
   * @param notes facts for the report, such as a remaining pull quota; never secrets
   */
  public PushDestination {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(credential, "credential");
    notes = List.copyOf(notes);
  }

  /**
   * A destination without notes.
   *
   * @param endpoint the repository to push to
   * @param credential the credential to present, or empty for anonymous
   */
  public PushDestination(ImageReference endpoint, Optional<RegistryCredential> credential) {
    this(endpoint, credential, List.of());
  }
}
