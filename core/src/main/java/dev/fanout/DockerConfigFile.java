package dev.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What Docker's {@code config.json} says about a registry, read without running a credential
 * helper: whether it holds a credential for it ({@code auths}, {@code credHelpers}, {@code
 * credsStore}), and the credential itself when it is written in {@code auths}. Jib's retriever
 * reads the credential for a push; this lets a plan see it coming.
 */
final class DockerConfigFile {

  /**
   * The names Docker Hub goes by in {@code config.json}; {@code docker login} writes {@code
   * https://index.docker.io/v1/}.
   */
  private static final Set<String> DOCKER_HUB =
      Set.of("docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com");

  private final JsonNode config;

  private DockerConfigFile(JsonNode config) {
    this.config = config;
  }

  /**
   * Reads a {@code config.json}.
   *
   * @param file the file
   * @return its content
   * @throws IOException when it cannot be read or is not JSON; the message quotes none of it
   */
  static DockerConfigFile read(Path file) throws IOException {
    try {
      return new DockerConfigFile(new ObjectMapper().readTree(Files.readAllBytes(file)));
    } catch (IOException e) {
      // Jackson's message would quote the file, which holds credentials.
      throw new IOException(file + " is not a readable JSON file (" + e.getClass().getName() + ")");
    }
  }

  /**
   * Whether the file names a credential for a registry: an {@code auths} or {@code credHelpers}
   * entry for it, or a {@code credsStore}, which Docker asks for every registry.
   *
   * @param registryHost the registry's host (and port)
   * @return true when a credential may come from it
   */
  boolean mayProvide(String registryHost) {
    return config.path("credsStore").isTextual()
        || entry(config.path("credHelpers"), registryHost).isPresent()
        || entry(config.path("auths"), registryHost).isPresent();
  }

  /**
   * The credential written in {@code auths} for a registry: {@code auth} as base64 {@code
   * user:password}, or {@code username} and {@code password}.
   *
   * @param registryHost the registry's host (and port)
   * @return the credential, or empty when {@code auths} holds none for it
   */
  Optional<RegistryCredential> auth(String registryHost) {
    Optional<JsonNode> entry = entry(config.path("auths"), registryHost);
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    String user = entry.get().path("username").asText("");
    String password = entry.get().path("password").asText("");
    String auth = entry.get().path("auth").asText("");
    if (!auth.isEmpty()) {
      try {
        String pair = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        if (colon > 0) {
          user = pair.substring(0, colon);
          password = pair.substring(colon + 1);
        }
      } catch (IllegalArgumentException notBase64) {
        return Optional.empty();
      }
    }
    return user.isBlank() || password.isBlank()
        ? Optional.empty()
        : Optional.of(RegistryCredential.of(user, password));
  }

  /** The entry of a section whose key names the registry, as a host or a URL with a path. */
  private static Optional<JsonNode> entry(JsonNode section, String registryHost) {
    String wanted = registryHost.toLowerCase(Locale.ROOT);
    for (Iterator<String> keys = section.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      String host = hostOf(key);
      if (host.equals(wanted) || (DOCKER_HUB.contains(host) && DOCKER_HUB.contains(wanted))) {
        return Optional.of(section.get(key));
      }
    }
    return Optional.empty();
  }

  /** {@code https://index.docker.io/v1/} → {@code index.docker.io}; a bare host stays. */
  private static String hostOf(String key) {
    String host = key.strip().toLowerCase(Locale.ROOT);
    int scheme = host.indexOf("://");
    if (scheme >= 0) {
      host = host.substring(scheme + 3);
    }
    int slash = host.indexOf('/');
    return slash >= 0 ? host.substring(0, slash) : host;
  }
}
