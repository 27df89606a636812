package dev.fanout.gar;

import dev.fanout.Environment;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the registry and the Artifact Registry API are reached: Google's public endpoints unless
 * the environment overrides them, as a Private Service Connect endpoint or a test's stand-in needs.
 * An override changes only where requests go; the target keeps its Artifact Registry name in the
 * plan and the report.
 */
final class GarEndpoints {

  /**
   * The registry host (and port) to push to instead of the target's host, for example {@code
   * 127.0.0.1:5000}. {@value #LOCATION_PLACEHOLDER} in it is replaced by each target's location.
   */
  static final String REGISTRY_ENDPOINT = "FANOUT_GAR_REGISTRY_ENDPOINT";

  /**
   * The base URL of the Artifact Registry API, for example {@code
   * https://artifactregistry-psc.p.googleapis.com}.
   */
  static final String API_ENDPOINT = "FANOUT_GAR_API_ENDPOINT";

  /** Stands for the target's location in {@value #REGISTRY_ENDPOINT}. */
  static final String LOCATION_PLACEHOLDER = "{location}";

  /** Google's public endpoint of the Artifact Registry API. */
  static final URI DEFAULT_API = URI.create("https://artifactregistry.googleapis.com");

  /** A registry endpoint is a host with an optional port, as in an image reference. */
  private static final Pattern HOST_AND_PORT =
      Pattern.compile("(\\[[0-9a-fA-F:]+\\]|[a-zA-Z0-9.{}-]+)(:[0-9]{1,5})?");

  private GarEndpoints() {}

  /**
   * The registry host a target is pushed to.
   *
   * @param name the target's name
   * @param environment the pipeline's environment
   * @return the override with the location filled in, else the target's own host
   */
  static String registryHost(GarName name, Environment environment) {
    return environment
        .value(REGISTRY_ENDPOINT)
        .map(value -> value.trim().replace(LOCATION_PLACEHOLDER, name.location()))
        .orElse(name.host());
  }

  /**
   * The base URL of the Artifact Registry API.
   *
   * @param environment the pipeline's environment
   * @return the override without a trailing slash, else {@link #DEFAULT_API}
   */
  static URI api(Environment environment) {
    return environment
        .value(API_ENDPOINT)
        .map(value -> URI.create(value.trim().replaceAll("/+$", "")))
        .orElse(DEFAULT_API);
  }

  /**
   * Whether the registry endpoint is overridden with a loopback address, the only place a token may
   * travel over plain HTTP.
   *
   * @param environment the pipeline's environment
   * @return true for an override such as {@code 127.0.0.1:5000} or {@code localhost:5000}
   */
  static boolean registryOverrideIsLoopback(Environment environment) {
    return environment
        .value(REGISTRY_ENDPOINT)
        .map(value -> isLoopback(hostOf(value.trim())))
        .orElse(false);
  }

  /**
   * What is wrong with the overrides, found without network I/O.
   *
   * @param environment the pipeline's environment
   * @return one sentence per problem
   */
  static List<String> problems(Environment environment) {
    List<String> problems = new ArrayList<>();
    environment
        .value(REGISTRY_ENDPOINT)
        .map(String::trim)
        .filter(value -> !HOST_AND_PORT.matcher(value).matches())
        .ifPresent(
            value ->
                problems.add(
                    REGISTRY_ENDPOINT
                        + " must be a registry host with an optional port, such as"
                        + " 127.0.0.1:5000, not '"
                        + value
                        + "'"));
    environment
        .value(API_ENDPOINT)
        .map(String::trim)
        .ifPresent(value -> apiProblem(value, problems));
    return problems;
  }

  private static void apiProblem(String value, List<String> problems) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      problems.add(API_ENDPOINT + " is not a URL: '" + value + "'");
      return;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if ((!scheme.equals("https") && !scheme.equals("http")) || uri.getHost() == null) {
      problems.add(
          API_ENDPOINT
              + " must be an http(s) URL such as https://artifactregistry.googleapis.com, not '"
              + value
              + "'");
    } else if (scheme.equals("http") && !isLoopback(uri.getHost())) {
      problems.add(
          API_ENDPOINT
              + " uses plain HTTP to "
              + uri.getHost()
              + ", which would send the access token unprotected; plain HTTP is only for a"
              + " loopback address");
    }
  }

  /**
   * Whether a host is this machine: {@code localhost} or a literal loopback address. Names are not
   * resolved, so this does no I/O.
   *
   * @param host the host, without port
   * @return true for a loopback host
   */
  static boolean isLoopback(String host) {
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (bare.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!bare.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false;
    }
    try {
      return InetAddress.getByName(bare).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String hostOf(String hostAndPort) {
    if (hostAndPort.startsWith("[")) {
      int end = hostAndPort.indexOf(']');
      return end < 0 ? hostAndPort : hostAndPort.substring(0, end + 1);
    }
    int colon = hostAndPort.lastIndexOf(':');
    return colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
  }

  /**
   * The API base URL for messages.
   *
   * @param environment the pipeline's environment
   * @return the URL, noting an override
   */
  static String describeApi(Environment environment) {
    Optional<String> override = environment.value(API_ENDPOINT);
    return override.isPresent()
        ? api(environment) + " (" + API_ENDPOINT + ")"
        : DEFAULT_API.toString();
  }
}
