package dev.fanout.dockerhub;

import dev.fanout.Environment;
import dev.fanout.testkit.BasicAuth;
import dev.fanout.testkit.LocalRegistry;
import dev.fanout.testkit.TokenAuth;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stand-in for Docker Hub on 127.0.0.1: a {@link TestTokenServer} that knows the user {@value
 * #USERNAME} and the real Distribution registry in token-auth mode, trusting its tokens as Docker
 * Hub's registry does (registry-protocols.md §8), plus the environment a pipeline needs to push
 * there as if to Docker Hub.
 */
final class LocalDockerHub implements AutoCloseable {

  /** The Docker ID the token server knows. */
  static final String USERNAME = "acme";

  /** That user's personal access token; a test fixture, checked never to be printed. */
  static final String TOKEN = "dckr_pat_9fT2-local-docker-hub-secret";

  private final TestTokenServer tokens;
  private final LocalRegistry registry;

  private LocalDockerHub(TestTokenServer tokens, LocalRegistry registry) {
    this.tokens = tokens;
    this.registry = registry;
  }

  /** Starts the token server and the registry. */
  static LocalDockerHub start() throws IOException, InterruptedException {
    TokenSigner signer = TokenSigner.shared();
    TestTokenServer tokens = TestTokenServer.start(signer, USERNAME, TOKEN);
    try {
      TokenAuth tokenAuth =
          new TokenAuth(
              tokens.realm(),
              TestTokenServer.SERVICE,
              TestTokenServer.ISSUER,
              signer.certificatePem());
      return new LocalDockerHub(tokens, LocalRegistry.withTokenAuth(tokenAuth).start());
    } catch (RuntimeException e) {
      tokens.close();
      throw e;
    }
  }

  TestTokenServer tokens() {
    return tokens;
  }

  LocalRegistry registry() {
    return registry;
  }

  /** The endpoint override that points Docker Hub targets at the registry, over plain HTTP. */
  String registryUrl() {
    return "http://" + registry.host();
  }

  /** The registry's access-log lines of requests with this method and a path containing path. */
  List<String> registryRequests(String method, String path) {
    return registry
        .log()
        .lines()
        .filter(line -> line.contains("\"" + method + " ") && line.contains(path))
        .filter(line -> line.contains("HTTP/1.1\""))
        .toList();
  }

  /** The user and token, for skopeo. */
  Optional<BasicAuth> credentials() {
    return Optional.of(new BasicAuth(USERNAME, TOKEN));
  }

  /**
   * What a CI job would set, with both endpoints pointing here.
   *
   * @param registryUrl the registry to push to: {@link #registryUrl()} or a proxy's
   */
  Map<String, String> variables(String registryUrl) {
    Map<String, String> variables = new HashMap<>();
    variables.put(DockerHub.USERNAME_VARIABLE, USERNAME);
    variables.put(DockerHub.TOKEN_VARIABLE, TOKEN);
    variables.put(DockerHub.REGISTRY_URL_VARIABLE, registryUrl);
    variables.put(DockerHub.AUTH_URL_VARIABLE, tokens.realm());
    return variables;
  }

  /** {@link #variables(String)} for the registry itself. */
  Environment environment() {
    return Environment.of(variables(registryUrl()));
  }

  @Override
  public void close() {
    try {
      registry.close();
    } finally {
      tokens.close();
    }
  }
}
