package dev.fanout;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How one target fared in a run.
 *
 * @param reference the target's repository, as planned
 * @param backend the id of the backend that served it
 * @param status pushed, skipped or failed
 * @param tags the tags pushed, or that would have been
 * @param digest the manifest digest the registry holds, when pushed
 * @param attempts how many times the push was attempted (0 when skipped)
 * @param duration how long the target took, from preparing it to its last answer
 * @param waited how much of that was spent waiting to retry, a host's shared backoff included
 * @param detail why it was skipped or failed, or what the backend noted when pushed (such as a
 *     remaining quota); never a secret
 * @param name the target's short name in CI outputs and reports
 * @param optional whether the run still succeeds when this target fails
 */
public record TargetResult(
    String reference,
    String backend,
    TargetStatus status,
    List<String> tags,
    Optional<String> digest,
    int attempts,
    Duration duration,
    Duration waited,
    String detail,
    String name,
    boolean optional) {

  /**
   * Checks and copies the fields.
   *
   * @param reference the target's repository, as planned
   * @param backend the id of the backend that served it
   * @param status pushed, skipped or failed
   * @param tags the tags pushed, or that would have been
   * @param digest the manifest digest the registry holds, when pushed
   * @param attempts how many times the push was attempted (0 when skipped)
   * @param duration how long the target took, from preparing it to its last answer
   * @param waited how much of that was spent waiting to retry, a host's shared backoff included
   * @param detail why it was skipped or failed, or what the backend noted when pushed (such as a
   *     remaining quota); never a secret
   * @param name the target's short name in CI outputs and reports
   * @param optional whether the run still succeeds when this target fails
   */
  public TargetResult {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(status, "status");
    tags = List.copyOf(tags);
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(waited, "waited");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(name, "name");
  }

  /**
   * The images this target holds after the run: {@code reference:tag} for each tag.
   *
   * @return the images, or none when it was not pushed
   */
  public List<String> images() {
    return status == TargetStatus.PUSHED
        ? tags.stream().map(tag -> reference + ":" + tag).toList()
        : List.of();
  }
}
