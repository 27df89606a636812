package dev.fanout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of a run: one result per declared target, the image's digest, and where the tarball
 * went. A registry's failure is recorded here, never thrown.
 *
 * <p>Immutable. {@link #toString()} renders it as a table; no part of it holds a secret.
 */
public final class PushReport {

  private final Optional<String> digest;
  private final Map<String, String> platforms;
  private final Optional<Path> tarball;
  private final Optional<String> buildFailure;
  private final List<TargetResult> results;
  private final Duration duration;

  /**
   * A report of a single-platform image; built by the pipeline.
   *
   * @param digest the digest of the image, if the run learned it
   * @param tarball where the image was written as a tarball, if it was
   * @param buildFailure why the image could not be built, if it could not
   * @param results one per declared target, in declaration order
   * @param duration the run's wall time
   */
  public PushReport(
      Optional<String> digest,
      Optional<Path> tarball,
      Optional<String> buildFailure,
      List<TargetResult> results,
      Duration duration) {
    this(digest, Map.of(), tarball, buildFailure, results, duration);
  }

  /**
   * A report; built by the pipeline.
   *
   * @param digest the digest of the image (the index's, for several platforms), if the run learned
   *     it
   * @param platforms each platform's manifest digest, keyed {@code os/arch[/variant]}, in index
   *     order; empty for an image of one manifest
   * @param tarball where the image was written as a tarball, if it was
   * @param buildFailure why the image could not be built, if it could not
   * @param results one per declared target, in declaration order
   * @param duration the run's wall time
   */
  public PushReport(
      Optional<String> digest,
      Map<String, String> platforms,
      Optional<Path> tarball,
      Optional<String> buildFailure,
      List<TargetResult> results,
      Duration duration) {
    this.digest = digest;
    this.platforms = Collections.unmodifiableMap(new LinkedHashMap<>(platforms));
    this.tarball = tarball;
    this.buildFailure = buildFailure;
    this.results = List.copyOf(results);
    this.duration = duration;
  }

  /**
   * The digest of the image that was built or loaded; every pushed target holds exactly these
   * bytes. For an image of several platforms it is the index's digest.
   *
   * @return the digest, or empty when the build did not happen or failed
   */
  public Optional<String> digest() {
    return digest;
  }

  /**
   * For an image of several platforms, each platform's manifest digest, which every pushed target
   * also holds; attestation manifests are not platforms.
   *
   * @return {@code os/arch[/variant]} to digest, in index order; empty for a single manifest
   */
  public Map<String, String> platforms() {
    return platforms;
  }

  /**
   * Where the image was written as a {@code docker load}-able tarball.
   *
   * @return the path, if one was asked for and written
   */
  public Optional<Path> tarball() {
    return tarball;
  }

  /**
   * Why the image could not be built; every enabled target then failed too.
   *
   * @return the reason, or empty when the build succeeded or was not needed
   */
  public Optional<String> buildFailure() {
    return buildFailure;
  }

  /**
   * Every target's result, in declaration order.
   *
   * @return the results
   */
  public List<TargetResult> results() {
    return results;
  }

  /**
   * The results with a given status.
   *
   * @param status the status
   * @return those results, in declaration order
   */
  public List<TargetResult> withStatus(TargetStatus status) {
    return results.stream().filter(result -> result.status() == status).toList();
  }

  /**
   * Whether anything failed.
   *
   * @return true when the build failed or at least one result is {@link TargetStatus#FAILED}
   */
  public boolean hasFailures() {
    return buildFailure.isPresent() || !withStatus(TargetStatus.FAILED).isEmpty();
  }

  /**
   * Whether something failed that the release needs: the build, or a target not marked optional.
   * This is what a release's exit status follows.
   *
   * @return true when the build failed or a required target is {@link TargetStatus#FAILED}
   */
  public boolean hasRequiredFailures() {
    return buildFailure.isPresent()
        || withStatus(TargetStatus.FAILED).stream().anyMatch(result -> !result.optional());
  }

  /**
   * The run's wall time.
   *
   * @return the duration
   */
  public Duration duration() {
    return duration;
  }

  /** The report as a table, one row per target. */
  @Override
  public String toString() {
    TextTable table =
        new TextTable("TARGET", "STATUS", "TAGS", "DIGEST", "ATTEMPTS", "TIME", "WAITED", "DETAIL");
    for (TargetResult result : results) {
      table.row(
          result.reference(),
          result.status().name() + (result.optional() ? " (optional)" : ""),
          String.join(",", result.tags()),
          result.digest().map(PushReport::shortDigest).orElse("-"),
          Integer.toString(result.attempts()),
          seconds(result.duration()),
          seconds(result.waited()),
          result.detail());
    }
    StringBuilder text = new StringBuilder("Report: ");
    text.append(
        digest
            .map(value -> "image " + value)
            .or(() -> buildFailure)
            .orElse("no image digest: nothing was pushed or written"));
    tarball.ifPresent(path -> text.append(", tarball ").append(path));
    text.append(", ").append(seconds(duration)).append('\n');
    return text.append(table).toString();
  }

  private static String seconds(Duration duration) {
    return String.format("%.1fs", duration.toMillis() / 1000.0);
  }

  private static String shortDigest(String digest) {
    return digest.length() > 19 ? digest.substring(0, 19) : digest;
  }
}
