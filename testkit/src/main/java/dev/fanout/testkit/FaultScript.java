package dev.fanout.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Predicate;

/**
 * The faults a {@link FaultInjectingProxy} injects, and how many of each are left. Configured
 * before the proxy starts; afterwards every decision is made under this object's lock, in the order
 * requests arrive, so a seeded share gives the same answers to the same sequence of requests.
 */
final class FaultScript {

  private int connectionsToClose;
  private TokenBucket rateLimit;
  private Verdict.Answer rateLimited;
  private final List<ScriptedRule> scriptedAnswers = new ArrayList<>();
  private int manifestUploadsToFail;
  private Verdict.Answer manifestFailure;
  private int blobUploadsToDrop;
  private Verdict.Drop blobDrop;
  private double share;
  private Random random;
  private Verdict.Answer shareFailure;
  private Duration forwardDelay = Duration.ZERO;
  private final List<HeaderRule> headerRules = new ArrayList<>();

  void closeConnections(int times) {
    connectionsToClose = times;
  }

  void limitRate(double requestsPerSecond, int burst, Duration retryAfter) {
    rateLimit = new TokenBucket(requestsPerSecond, burst, System::nanoTime);
    rateLimited =
        new Verdict.Answer(
            ProxyEvent.Action.RATE_LIMITED,
            InjectedResponse.ociError(429, Optional.of(retryAfter)));
  }

  void answer(int times, Predicate<ProxyRequest> matching, ScriptedResponse response) {
    scriptedAnswers.add(
        new ScriptedRule(
            matching, times, new Verdict.Answer(ProxyEvent.Action.SCRIPTED_ANSWER, response)));
  }

  void setResponseHeaders(Predicate<ProxyRequest> matching, Map<String, String> headers) {
    headerRules.add(new HeaderRule(matching, Map.copyOf(headers)));
  }

  void failManifestUploads(int times, int status, Optional<Duration> retryAfter) {
    manifestUploadsToFail = times;
    manifestFailure =
        new Verdict.Answer(
            ProxyEvent.Action.FAILED_MANIFEST_UPLOAD,
            InjectedResponse.ociError(status, retryAfter));
  }

  void dropBlobUploads(int times, long afterBytes) {
    blobUploadsToDrop = times;
    blobDrop = new Verdict.Drop(afterBytes);
  }

  /**
   * Fails a share of requests, picked by {@code random}: a seeded one for the same faults on every
   * run, an unseeded one for different faults on every run.
   */
  void failShareOfRequests(double share, Random random, int status, Optional<Duration> retryAfter) {
    this.share = share;
    this.random = random;
    shareFailure =
        new Verdict.Answer(
            ProxyEvent.Action.FAILED_SHARE_OF_REQUESTS,
            InjectedResponse.ociError(status, retryAfter));
  }

  void delayForwarding(Duration delay) {
    forwardDelay = delay;
  }

  /** How long each forwarded request is held before it goes to the registry. */
  Duration forwardDelay() {
    return forwardDelay;
  }

  /**
   * Whether to close a newly accepted connection at once; counts it against {@link
   * #closeConnections}.
   */
  synchronized boolean closeNextConnection() {
    if (connectionsToClose == 0) {
      return false;
    }
    connectionsToClose--;
    return true;
  }

  /**
   * Decides what to do with a request. The rate limit comes first, as a limiter at the edge of a
   * registry's network would; then scripted answers in the order they were added, manifest
   * failures, blob-upload drops and the share. A request taken by a rule counts against no later
   * rule, and the random number is drawn only for requests that no earlier rule took. A request
   * that is forwarded gets the response headers of every header rule it matches, later rules
   * winning.
   *
   * @param bodyLength the declared length of the request body (0 when there is none), or empty when
   *     it is sent chunked
   */
  synchronized Verdict decide(String method, String path, OptionalLong bodyLength) {
    if (rateLimit != null && !rateLimit.tryTake()) {
      return rateLimited;
    }
    ProxyRequest request = new ProxyRequest(method, path);
    for (ScriptedRule rule : scriptedAnswers) {
      if (rule.remaining > 0 && rule.matching.test(request)) {
        rule.remaining--;
        return rule.answer;
      }
    }
    if (manifestUploadsToFail > 0 && RegistryRoutes.isManifestUpload(method, path)) {
      manifestUploadsToFail--;
      return manifestFailure;
    }
    if (blobUploadsToDrop > 0
        && isLongerThan(bodyLength, blobDrop.afterBytes())
        && RegistryRoutes.isBlobUpload(method, path)) {
      blobUploadsToDrop--;
      return blobDrop;
    }
    if (random != null && random.nextDouble() < share) {
      return shareFailure;
    }
    Map<String, String> responseHeaders = new LinkedHashMap<>();
    for (HeaderRule rule : headerRules) {
      if (rule.matching().test(request)) {
        responseHeaders.putAll(rule.headers());
      }
    }
    return responseHeaders.isEmpty() ? Verdict.FORWARD : new Verdict.Forward(responseHeaders);
  }

  /** A chunked body's length is unknown until it ends, so it counts as long enough. */
  private static boolean isLongerThan(OptionalLong bodyLength, long bytes) {
    return bodyLength.isEmpty() || bodyLength.getAsLong() > bytes;
  }

  /** Answers up to {@code remaining} more matching requests with {@code answer}. */
  private static final class ScriptedRule {

    private final Predicate<ProxyRequest> matching;
    private final Verdict.Answer answer;
    private int remaining;

    ScriptedRule(Predicate<ProxyRequest> matching, int times, Verdict.Answer answer) {
      this.matching = matching;
      this.remaining = times;
      this.answer = answer;
    }
  }

  /** Sets {@code headers} in the registry's responses to matching requests. */
  private record HeaderRule(Predicate<ProxyRequest> matching, Map<String, String> headers) {}
}
