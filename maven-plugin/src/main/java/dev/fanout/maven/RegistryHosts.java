package dev.fanout.maven;

/** The registry host of an image reference, as a {@code settings.xml} server id names it. */
final class RegistryHosts {

  /** Docker Hub's name as its users write it, and the server id the plugin looks up for it. */
  static final String DOCKER_HUB = "docker.io";

  private RegistryHosts() {}

  /**
   * The host of a reference, with its port when it has one: {@code ghcr.io/acme/app} gives {@code
   * ghcr.io}, {@code 127.0.0.1:5000/app:1} gives {@code 127.0.0.1:5000}, and a name without a
   * registry ({@code acme/app}, {@code app}) gives {@code docker.io}, as Docker reads it.
   *
   * @param reference the reference
   * @return the host
   */
  static String of(String reference) {
    String trimmed = reference.trim();
    int slash = trimmed.indexOf('/');
    if (slash < 0) {
      return DOCKER_HUB;
    }
    String first = trimmed.substring(0, slash);
    // Docker's rule: the first part is a registry only when it looks like a host name.
    boolean isHost = first.contains(".") || first.contains(":") || first.equals("localhost");
    return isHost ? first : DOCKER_HUB;
  }
}
