package dev.fanout.ecr;

import dev.fanout.Environment;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The AWS SDKs' standard endpoint overrides, read from Fanout's {@link Environment}: {@code
 * AWS_ENDPOINT_URL_<SERVICE>} for one service, else {@code AWS_ENDPOINT_URL} for all of them. They
 * point the API calls at a VPC endpoint, LocalStack, or a test's stub.
 */
final class EcrEndpoints {

  /** The ECR API's own override. */
  static final String ECR_ENDPOINT = "AWS_ENDPOINT_URL_ECR";

  /** The override for every AWS service. */
  static final String ANY_ENDPOINT = "AWS_ENDPOINT_URL";

  private EcrEndpoints() {}

  /**
   * The override for a service.
   *
   * @param environment the pipeline's environment
   * @param serviceVariable the service's own variable, for example {@code AWS_ENDPOINT_URL_ECR}
   * @return the endpoint, or empty when neither variable is set or the value is not a URL (which
   *     {@link #problem(Environment)} reports)
   */
  static Optional<URI> override(Environment environment, String serviceVariable) {
    return raw(environment, serviceVariable).flatMap(EcrEndpoints::parse);
  }

  /**
   * What is wrong with the ECR API override, found without I/O.
   *
   * @param environment the pipeline's environment
   * @return the problem, if any
   */
  static Optional<String> problem(Environment environment) {
    Optional<String> raw = raw(environment, ECR_ENDPOINT);
    if (raw.isEmpty() || parse(raw.get()).isPresent()) {
      return Optional.empty();
    }
    String variable = environment.isSet(ECR_ENDPOINT) ? ECR_ENDPOINT : ANY_ENDPOINT;
    return Optional.of(
        variable + " must be an http or https URL such as https://ecr.eu-west-1.amazonaws.com, was '"
            + raw.get() + "'");
  }

  /**
   * Whether the ECR API override points at this machine: the only place a plain-HTTP stand-in of
   * ECR may live.
   *
   * @param environment the pipeline's environment
   * @return true when the override is set and its host is a loopback address
   */
  static boolean overrideIsLoopback(Environment environment) {
    return override(environment, ECR_ENDPOINT).map(uri -> isLoopback(uri.getHost())).orElse(false);
  }

  /**
   * Whether a host name is a loopback address, decided from the name alone (no DNS lookup).
   *
   * @param host a host name or address literal, without a port
   * @return true for {@code localhost}, {@code 127.0.0.0/8} and {@code ::1}
   */
  static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String name = host.toLowerCase(Locale.ROOT);
    if (name.startsWith("[") && name.endsWith("]")) {
      name = name.substring(1, name.length() - 1);
    }
    return name.equals("localhost")
        || name.equals("::1")
        || name.equals("0:0:0:0:0:0:0:1")
        || name.matches("127(\\.[0-9]{1,3}){3}");
  }

  private static Optional<String> raw(Environment environment, String serviceVariable) {
    return environment.value(serviceVariable).or(() -> environment.value(ANY_ENDPOINT)).map(String::trim);
  }

  private static Optional<URI> parse(String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }
}
