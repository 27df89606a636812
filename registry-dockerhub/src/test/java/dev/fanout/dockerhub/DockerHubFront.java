package dev.fanout.dockerhub;

import dev.fanout.testkit.FaultInjectingProxy;
import dev.fanout.testkit.ProxyEvent;
import dev.fanout.testkit.ProxyRequest;
import dev.fanout.testkit.ScriptedResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The testkit's {@link FaultInjectingProxy} set up to make a local registry answer like Docker Hub:
 * Docker Hub's rate-limit headers on every manifest answer ({@code GET} and {@code HEAD}), and, for
 * a spent quota, the 429 Docker Hub sends to the first manifest uploads once the pull limit is
 * used up. Everything else is forwarded unchanged, and every request is in the proxy's events.
 */
final class DockerHubFront {

  /** The body Docker Hub sends with a pull-limit 429 (quoted in registry-protocols.md §2). */
  static final String PULL_LIMIT_BODY =
      "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"You have reached your pull rate"
          + " limit. You may increase the limit by authenticating and upgrading:"
          + " https://www.docker.com/increase-rate-limit\"}]}";

  private DockerHubFront() {}

  /**
   * A front that adds Docker Hub's headers for a quota, such as {@code 100;w=21600} with {@code
   * 76;w=21600}.
   *
   * @param upstream the registry, {@code 127.0.0.1:PORT}
   * @param limit the {@code ratelimit-limit} value
   * @param remaining the {@code ratelimit-remaining} value
   * @param source the {@code docker-ratelimit-source} value
   * @return the running proxy
   */
  static FaultInjectingProxy withQuota(
      String upstream, String limit, String remaining, String source) throws IOException {
    return FaultInjectingProxy.inFrontOf(upstream)
        .setResponseHeaders(DockerHubFront::readsManifest, headers(limit, remaining, source))
        .start();
  }

  /**
   * A front whose quota is spent: the first {@code times} manifest uploads get Docker Hub's
   * pull-limit 429 with {@code ratelimit-remaining: 0}, and {@code Retry-After} when given.
   *
   * @param upstream the registry, {@code 127.0.0.1:PORT}
   * @param times how many manifest uploads are refused
   * @param retryAfter the reset to announce, if any
   * @return the running proxy
   */
  static FaultInjectingProxy withSpentQuota(
      String upstream, int times, Optional<Duration> retryAfter) throws IOException {
    Map<String, String> quota = headers("100;w=21600", "0;w=21600", "192.0.2.1");
    Map<String, String> refusal = new LinkedHashMap<>(quota);
    refusal.put("Content-Type", "application/json");
    retryAfter.ifPresent(wait -> refusal.put("Retry-After", Long.toString(wait.toSeconds())));
    return FaultInjectingProxy.inFrontOf(upstream)
        .answer(
            times,
            ProxyRequest::isManifestUpload,
            new ScriptedResponse(429, refusal, PULL_LIMIT_BODY))
        .setResponseHeaders(DockerHubFront::readsManifest, quota)
        .start();
  }

  /**
   * The endpoint override that points Docker Hub targets at a front.
   *
   * @param front the front
   * @return {@code http://127.0.0.1:PORT}
   */
  static String url(FaultInjectingProxy front) {
    return "http://" + front.host();
  }

  /**
   * The requests a front saw that match, each as {@code METHOD PATH STATUS}.
   *
   * @param front the front
   * @param matching which requests
   * @return for example {@code ["HEAD /v2/acme/app/manifests/1.0 404"]}
   */
  static List<String> requests(FaultInjectingProxy front, Predicate<ProxyEvent> matching) {
    return front.events().stream()
        .filter(event -> !event.method().isEmpty())
        .filter(matching)
        .map(event -> event.method() + " " + event.path() + " " + event.status())
        .toList();
  }

  /** Whether a request is for a manifest, in any method. */
  static boolean isManifest(ProxyEvent event) {
    return event.path().contains("/manifests/");
  }

  private static boolean readsManifest(ProxyRequest request) {
    return request.path().contains("/manifests/")
        && (request.method().equals("GET") || request.method().equals("HEAD"));
  }

  private static Map<String, String> headers(String limit, String remaining, String source) {
    return Map.of(
        PullQuota.LIMIT_HEADER, limit,
        PullQuota.REMAINING_HEADER, remaining,
        PullQuota.SOURCE_HEADER, source);
  }
}
