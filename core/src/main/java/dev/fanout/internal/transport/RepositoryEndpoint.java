package dev.fanout.internal.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A repository on a registry: where the transport pushes to or reads from.
 *
 * @param host the registry host with its port when it has one, for example {@code ghcr.io} or
 *     {@code 127.0.0.1:5000}; no scheme, no path
 * @param repository the repository, for example {@code acme/app}
 * @param plainHttp whether to speak plain HTTP; HTTPS otherwise
 */
public record RepositoryEndpoint(String host, String repository, boolean plainHttp) {

  /** A host name, an IPv4 address or a bracketed IPv6 literal, then an optional port. */
  private static final Pattern HOST =
      Pattern.compile("([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+])(:[0-9]{1,5})?");

  /** The repository name grammar of the OCI distribution spec. */
  private static final Pattern REPOSITORY =
      Pattern.compile("[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");

  /**
   * Checks the host and the repository, and names every problem at once.
   *
   * @throws IllegalArgumentException when either is malformed
   */
  public RepositoryEndpoint {
    List<String> problems = new ArrayList<>();
    if (host == null || !HOST.matcher(host).matches()) {
      problems.add(
          "the registry host must be a host name with an optional port, got '" + host + "'");
    }
    if (repository == null || !REPOSITORY.matcher(repository).matches()) {
      problems.add(
          "the repository must be lower-case path components such as acme/app, got '"
              + repository
              + "'");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /**
   * Where requests go.
   *
   * @return {@code http://host} or {@code https://host}
   */
  String baseUrl() {
    return (plainHttp ? "http://" : "https://") + host;
  }

  /**
   * The endpoint as people write it.
   *
   * @return {@code host/repository}
   */
  @Override
  public String toString() {
    return host + "/" + repository;
  }
}
