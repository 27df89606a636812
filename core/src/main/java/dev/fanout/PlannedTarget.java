package dev.fanout;

import java.util.List;
import java.util.Objects;

/**
 * One target in a {@link Plan}: where it goes, which backend serves it, and whether it takes part.
 *
 * @param reference the repository, normalised by its backend (for example {@code
 *     registry-1.docker.io/library/app}); as written when it could not be parsed
 * @param backend the id of the backend that serves it, or empty when none could be chosen
 * @param tags the tags it gets
 * @param enabled whether it takes part in a run
 * @param reason why it takes part or is skipped, from its condition and its tag rules
 * @param name the target's short name in CI outputs and reports ({@code Target.named(...)}, or one
 *     made from the reference)
 * @param optional whether the run still succeeds when this target fails
 */
public record PlannedTarget(
    String reference,
    String backend,
    List<String> tags,
    boolean enabled,
    String reason,
    String name,
    boolean optional) {

  /**
   * Checks and copies the fields.
   *
   * @param reference the repository, normalised by its backend (for example {@code
   *     registry-1.docker.io/library/app}); as written when it could not be parsed
   * @param backend the id of the backend that serves it, or empty when none could be chosen
   * @param tags the tags it gets
   * @param enabled whether it takes part in a run
   * @param reason why it takes part or is skipped, from its condition and its tag rules
   * @param name the target's short name in CI outputs and reports ({@code Target.named(...)}, or one
   *     made from the reference)
   * @param optional whether the run still succeeds when this target fails
   */
  public PlannedTarget {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(backend, "backend");
    tags = List.copyOf(tags);
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(name, "name");
  }
}
