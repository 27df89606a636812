package dev.fanout.ecr;

import dev.fanout.Environment;
import dev.fanout.spi.EndpointSafety;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
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
   *     {@link #problems(Environment)} reports)
   */
  static Optional<URI> override(Environment environment, String serviceVariable) {
    return raw(environment, serviceVariable).flatMap(EcrEndpoints::parse);
  }

  /**
   * What is wrong with the ECR API override, found without I/O: what {@link
   * EndpointSafety#overrideProblems(String, String, boolean)} checks of every override; plain HTTP
   * is for a stand-in on this machine only, since the signed requests carry the session token.
   *
   * @param environment the pipeline's environment
   * @return one sentence per problem
   */
  static List<String> problems(Environment environment) {
    return raw(environment, ECR_ENDPOINT)
        .map(
            value ->
                EndpointSafety.overrideProblems(
                    environment.isSet(ECR_ENDPOINT) ? ECR_ENDPOINT : ANY_ENDPOINT, value, false))
        .orElse(List.of());
  }

  /**
   * Whether the ECR API override points at this machine: the only place a plain-HTTP stand-in of
   * ECR may live.
   *
   * @param environment the pipeline's environment
   * @return true when the override is set and its host is a loopback address
   */
  static boolean overrideIsLoopback(Environment environment) {
    return override(environment, ECR_ENDPOINT)
        .map(uri -> EndpointSafety.isLoopback(uri.getHost()))
        .orElse(false);
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
