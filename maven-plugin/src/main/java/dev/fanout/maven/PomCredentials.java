package dev.fanout.maven;

import dev.fanout.CredentialSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns a {@code <credentials>} element into a Fanout {@link CredentialSource}. */
final class PomCredentials {

  private final SettingsServers servers;

  PomCredentials(SettingsServers servers) {
    this.servers = servers;
  }

  /**
   * The credential source for an image in a registry.
   *
   * @param credentials the element; null for the default: a {@code settings.xml} server whose id is
   *     the registry host when there is one, else nothing
   * @param reference the image, whose host names the default server
   * @param where names the element in problems
   * @param problems receives every problem found
   * @return the source, or empty for the backend's default (or when there is a problem)
   */
  Optional<CredentialSource> of(
      CredentialParameters credentials, String reference, String where, List<String> problems) {
    if (credentials == null) {
      String host = RegistryHosts.of(reference);
      return servers.has(host)
          ? servers.credential(host, where + " (settings.xml server for its host)", problems)
          : Optional.empty();
    }
    List<String> kinds = new ArrayList<>();
    boolean variables =
        credentials.usernameVariable != null || credentials.passwordVariable != null;
    if (variables) {
      kinds.add("<usernameVariable>/<passwordVariable>");
    }
    if (credentials.server != null) {
      kinds.add("<server>");
    }
    if (credentials.dockerConfig) {
      kinds.add("<dockerConfig>");
    }
    if (credentials.anonymous) {
      kinds.add("<anonymous>");
    }
    if (kinds.size() != 1) {
      problems.add(
          where
              + ": <credentials> needs exactly one of <usernameVariable> with <passwordVariable>,"
              + " <server>, <dockerConfig>true or <anonymous>true"
              + (kinds.isEmpty() ? "" : "; found " + String.join(", ", kinds)));
      return Optional.empty();
    }
    if (variables) {
      if (isBlank(credentials.usernameVariable) || isBlank(credentials.passwordVariable)) {
        problems.add(
            where + ": <credentials> needs both <usernameVariable> and <passwordVariable>");
        return Optional.empty();
      }
      return Optional.of(
          CredentialSource.fromEnvironment(
              credentials.usernameVariable.trim(), credentials.passwordVariable.trim()));
    }
    if (credentials.server != null) {
      if (credentials.server.isBlank()) {
        problems.add(where + ": <credentials> <server> is empty");
        return Optional.empty();
      }
      return servers.credential(credentials.server.trim(), where, problems);
    }
    return Optional.of(
        credentials.dockerConfig ? CredentialSource.dockerConfig() : CredentialSource.anonymous());
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
