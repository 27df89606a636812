package dev.fanout.internal;

import dev.fanout.Condition;
import dev.fanout.CredentialSource;
import dev.fanout.TagRule;
import dev.fanout.Target;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of a declared target and its condition, so that changing a {@link Target} after a run
 * started cannot change the run.
 *
 * @param condition when the target takes part
 * @param reference the reference as written
 * @param tags the target's own tag rules, if any
 * @param credentials the target's credential source, if any
 * @param plainHttp whether plain HTTP is allowed
 * @param backendId the pinned backend, if any
 * @param options the backend options, in the order they were set
 * @param name the name the target was given, if any
 * @param optional whether the run still succeeds when the target fails
 */
public record TargetDeclaration(
    Condition condition,
    String reference,
    Optional<List<TagRule>> tags,
    Optional<CredentialSource> credentials,
    boolean plainHttp,
    Optional<String> backendId,
    Map<String, String> options,
    Optional<String> name,
    boolean optional) {

  /**
   * Snapshots a target.
   *
   * @param condition when it takes part
   * @param target the target
   * @return the snapshot
   */
  public static TargetDeclaration of(Condition condition, Target target) {
    return new TargetDeclaration(
        condition,
        target.reference(),
        target.tags(),
        target.credentials(),
        target.plainHttpAllowed(),
        target.backendId(),
        target.options(),
        target.name(),
        target.isOptional());
  }
}
