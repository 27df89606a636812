package dev.fanout.ecr;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ECR private registry named by its host, {@code <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]}:
 * the host alone says which account and region the API calls go to, so no region setting is read
 * (the SDK's region chain may otherwise ask the instance metadata service).
 *
 * @param host the registry host as written in the target
 * @param account the 12-digit account id
 * @param region the region, for example {@code eu-west-1} or {@code cn-north-1}
 * @param fips whether the host is the FIPS endpoint, whose API is the FIPS endpoint too
 */
record EcrRegistryHost(String host, String account, String region, boolean fips) {

  /** The host pattern; the same as {@code KnownRegistry.ECR}'s, with groups for its parts. */
  private static final Pattern HOST =
      Pattern.compile("([0-9]{12})\\.dkr\\.ecr(-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?");

  /** How the host is written, for messages that tell the user what was expected. */
  static final String FORM = "<account>.dkr.ecr.<region>.amazonaws.com";

  /**
   * Reads a registry host.
   *
   * @param host the host, without a port
   * @return the registry, or empty when the host is not an ECR private registry
   */
  static Optional<EcrRegistryHost> parse(String host) {
    Matcher matcher = HOST.matcher(host);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new EcrRegistryHost(host, matcher.group(1), matcher.group(3), matcher.group(2) != null));
  }

  /**
   * Names the registry for people.
   *
   * @return for example "ECR registry 123456789012 in eu-west-1"
   */
  String describe() {
    return "ECR registry " + account + " in " + region + (fips ? " (FIPS)" : "");
  }
}
