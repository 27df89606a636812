package dev.fanout.dockerhub;

import dev.fanout.Environment;
import dev.fanout.testkit.BasicAuth;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A stand-in for Docker Hub on 127.0.0.1: a {@link TestTokenServer} that knows the user {@value
 * #USERNAME} and a {@link TokenAuthRegistry} that trusts its tokens, plus the environment a
 * pipeline needs to push there as if to Docker Hub.
 */
final class LocalDockerHub implements AutoCloseable {

  /** The Docker ID the token server knows. */
  static final String USERNAME = "acme";

  /** That user's personal access token; a test fixture, checked never to be printed. */
  static final String TOKEN = "dckr_pat_9fT2-local-docker-hub-secret";

  private final TestTokenServer tokens;
  private final TokenAuthRegistry registry;

  private LocalDockerHub(TestTokenServer tokens, TokenAuthRegistry registry) {
    this.tokens = tokens;
    this.registry = registry;
  }

  /** Starts the token server and the registry. */
  static LocalDockerHub start() throws IOException, InterruptedException {
    TokenSigner signer = TokenSigner.shared();
    TestTokenServer tokens = TestTokenServer.start(signer, USERNAME, TOKEN);
    try {
      return new LocalDockerHub(tokens, TokenAuthRegistry.start(tokens, signer));
    } catch (IOException | InterruptedException | RuntimeException e) {
      tokens.close();
      throw e;
    }
  }

  TestTokenServer tokens() {
    return tokens;
  }

  TokenAuthRegistry registry() {
    return registry;
  }

  /** The user and token, for skopeo. */
  Optional<BasicAuth> credentials() {
    return Optional.of(new BasicAuth(USERNAME, TOKEN));
  }

  /**
   * What a CI job would set, with both endpoints pointing here.
   *
   * @param registryUrl the registry to push to: {@link TokenAuthRegistry#url()} or a proxy's
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
    return Environment.of(variables(registry.url()));
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      registry.close();
    } finally {
      tokens.close();
    }
  }
}
