package dev.fanout;

/**
 * Hears a run as it happens: the hook that CI integrations, progress displays and reporters plug
 * into with {@code PipelineBuilder.listener(...)}. Every method does nothing unless overridden.
 *
 * <p>Methods are called from several threads at once, since targets are pushed concurrently. A
 * listener that throws is logged and otherwise ignored: a broken display never fails a release.
 * Apart from {@link #secretHeld(String)}, nothing a listener receives holds a secret.
 */
public interface RunListener {

  /**
   * A secret Fanout now holds: a password, a token a backend obtained (an ECR password, a Google
   * access token), or {@code user:password} in base64 as a Basic header carries it. Called the
   * moment the credential is read, before anything that could print it runs, once per distinct
   * secret. This is where a CI integration masks it ({@code ::add-mask::} in GitHub Actions); never
   * print or store it.
   *
   * @param secret the secret
   */
  default void secretHeld(String secret) {}

  /**
   * The plan a run is about to carry out; called also when the plan has problems and the run will
   * not start.
   *
   * @param plan the plan
   */
  default void planned(Plan plan) {}

  /**
   * A line about one target: how it was readied, Jib's messages, a failed attempt, the outcome.
   * Already scrubbed of secrets, and neutralised: one line that can act as no workflow command.
   *
   * @param target the target's name ({@link PlannedTarget#name()})
   * @param line the line
   */
  default void targetLog(String target, String line) {}

  /**
   * A request failed and will be sent again after a wait: the request, why, the wait and which try
   * it was. Called before the wait starts. A request that is not retried (the policy's last try, a
   * failure no retry can mend) is not a retry: the target's log and its result say why it ended.
   *
   * <p>This is how retries reach a console or a CI log without a logging library; Fanout's SLF4J
   * lines say the same for those who have an SLF4J provider.
   *
   * @param retry the retry
   */
  default void requestRetried(RequestRetry retry) {}

  /**
   * A host asked every client to wait ({@code 429} or {@code 503} with {@code Retry-After}), and
   * every request to it, any target's, now waits until that has passed. Called once per such
   * answer, before the wait starts.
   *
   * @param hold the host, the wait and the answer that asked for it
   */
  default void hostHeld(HostHold hold) {}

  /**
   * How far the build or a target's push has come; called often while bytes move.
   *
   * @param progress the progress
   */
  default void progress(Progress progress) {}

  /**
   * A target that took part has finished, pushed or failed; called as each one finishes. Skipped
   * targets appear only in the report.
   *
   * @param result the target's result
   */
  default void targetFinished(TargetResult result) {}

  /**
   * The run has finished.
   *
   * @param report the report, as {@code run()} returns it
   */
  default void finished(PushReport report) {}
}
