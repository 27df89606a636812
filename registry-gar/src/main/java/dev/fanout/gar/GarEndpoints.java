package dev.fanout.gar;

import dev.fanout.Environment;
import dev.fanout.spi.EndpointSafety;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
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
        .ifPresent(
            value -> problems.addAll(EndpointSafety.overrideProblems(API_ENDPOINT, value, false)));
    return problems;
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
