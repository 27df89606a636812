package dev.fanout.spi;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.fanout.CredentialSource;
import java.util.List;
import java.util.Optional;

/**
 * A target as planned: its normalised repository (without tag), the tags to push, and its
 * settings.
 *
 * @param reference the repository to push to, normalised by the backend; no tag or digest
 * @param tags the tags to push, at least one
 * @param credentials the credential source the target named, if any
 * @param plainHttp whether plain HTTP is allowed
 */
public record TargetSpec(
    ImageReference reference,
    List<String> tags,
    Optional<CredentialSource> credentials,
    boolean plainHttp) {

  /** Copies the tags. */
  public TargetSpec {
    tags = List.copyOf(tags);
  }
}
