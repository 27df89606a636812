package dev.fanout.dockerhub;

import dev.fanout.RegistryCredential;
import dev.fanout.spi.PushContext;
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
   * <p>It is about the push it failed: this backend refines only requests to the target, so the
   * quota spent is that of the account the push logs in as (or of the address, anonymously), not
   * of a base image's pull.
   *
   * @param failure the failure as core classified it
   * @param context the target's push: its credential and its deadline
   * @param now the current time
   * @return the message for people, or empty when the failure is not Docker Hub's pull limit or
   *     its reset comes within the deadline (then the retry engine waits for it)
   */
  static Optional<String> explain(RegistryFailure failure, PushContext context, Instant now) {
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
    if (!now.plus(reset).isAfter(context.deadline())) {
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
    Optional<String> account =
        context.destination().credential().map(RegistryCredential::username);
    String fix =
        account
            .map(
                user ->
                    "The push logs in as "
                        + user
                        + ", so the spent quota is that account's, shared by every client that"
                        + " uses it. Fix: push again after the reset, give the target a retry"
                        + " deadline past it (RetryPolicy.custom().deadline(...)), or use an"
                        + " account whose plan has a higher pull limit.")
            .orElse(
                "The push is anonymous, so the spent quota is this address's. Fix: log in for"
                    + " an account's own quota (set "
                    + DockerHub.USERNAME_VARIABLE
                    + " and "
                    + DockerHub.TOKEN_VARIABLE
                    + "), or push again after the reset.");
    return Optional.of(
        "Docker Hub's pull rate limit is reached: "
            + limit
            + " of the "
            + PullQuota.describe(window)
            + " window are used"
            + source
            + " (HTTP 429, ratelimit-remaining: 0). "
            + when
            + ", after this target's retry deadline at about "
            + CLOCK_TIME.format(context.deadline())
            + ", so Fanout stops instead of retrying. "
            + fix);
  }
}
