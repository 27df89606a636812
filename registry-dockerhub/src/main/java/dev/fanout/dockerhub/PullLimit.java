package dev.fanout.dockerhub;

import dev.fanout.spi.RegistryFailure;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Recognises Docker Hub's pull limit in a failed attempt and says what it means. A 429 with {@code
 * ratelimit-remaining: 0} will not pass until pulls age out of the window; when that is later than
 * the retry deadline, retrying only burns the requests left, so the attempt is made final with the
 * limit, when it frees up and how to avoid it.
 */
final class PullLimit {

  private static final DateTimeFormatter CLOCK_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private PullLimit() {}

  /**
   * The explanation of a pull-limit failure that will not pass before the deadline.
   *
   * @param failure the failure as core classified it
   * @param deadline the target's retry deadline
   * @param now the current time
   * @return the message for people, or empty when the failure is not Docker Hub's pull limit or
   *     its reset comes within the deadline (then the retry engine waits for it)
   */
  static Optional<String> explain(RegistryFailure failure, Duration deadline, Instant now) {
    if (failure.status().orElse(0) != 429) {
      return Optional.empty();
    }
    Optional<String> remainingHeader = failure.header(PullQuota.REMAINING_HEADER);
    Optional<Integer> remaining = remainingHeader.flatMap(PullQuota::countOf);
    if (remaining.isEmpty() || remaining.get() > 0) {
      return Optional.empty();
    }
    Optional<String> limitHeader = failure.header(PullQuota.LIMIT_HEADER);
    Duration window =
        limitHeader
            .flatMap(PullQuota::window)
            .or(() -> remainingHeader.flatMap(PullQuota::window))
            .orElse(PullQuota.DEFAULT_WINDOW);
    Duration reset = failure.retryAfter().orElse(window);
    if (reset.compareTo(deadline) <= 0) {
      return Optional.empty();
    }
    String limit =
        limitHeader
            .flatMap(PullQuota::countOf)
            .map(count -> "all " + count + " pulls")
            .orElse("all pulls");
    String source =
        failure
            .header(PullQuota.SOURCE_HEADER)
            .flatMap(PullQuota::sourceOf)
            .map(value -> " for " + value)
            .orElse("");
    String when =
        failure.retryAfter().isPresent()
            ? "They free up in "
                + PullQuota.describe(reset.truncatedTo(ChronoUnit.MINUTES))
                + ", at about "
                + CLOCK_TIME.format(now.plus(reset))
            : "Docker Hub gave no reset time; pulls free up as they age out of the "
                + PullQuota.describe(window)
                + " window, by "
                + CLOCK_TIME.format(now.plus(window))
                + " at the latest";
    return Optional.of(
        "Docker Hub's pull rate limit is reached: "
            + limit
            + " of the "
            + PullQuota.describe(window)
            + " window are used"
            + source
            + " (HTTP 429, ratelimit-remaining: 0). "
            + when
            + ", after this target's retry deadline of "
            + PullQuota.describe(deadline)
            + ", so Fanout stops instead of retrying. Fix: pull the base image authenticated (set "
            + DockerHub.USERNAME_VARIABLE
            + " and "
            + DockerHub.TOKEN_VARIABLE
            + ", and name the base with DockerHub.baseImage(...) or ImageSource.registryImage(ref,"
            + " DockerHub.credentials(), env)) for the account's higher limit, or pull the base"
            + " image from a mirror.");
  }
}
