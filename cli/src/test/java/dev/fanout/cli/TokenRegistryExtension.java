package dev.fanout.cli;

import dev.fanout.testkit.LocalRegistry;
import dev.fanout.testkit.LoopbackTokenService;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A registry with token auth and the token service it trusts, both on loopback, started once for a
 * test class (testkit's {@code LocalRegistryExtension} has plain and Basic auth only).
 */
final class TokenRegistryExtension implements BeforeAllCallback, AfterAllCallback {

  private final String username;
  private final String password;
  private LoopbackTokenService tokens;
  private LocalRegistry registry;

  /**
   * @param username the one user the token service knows
   * @param password that user's secret
   */
  TokenRegistryExtension(String username, String password) {
    this.username = username;
    this.password = password;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    tokens = new LoopbackTokenService(username, password);
    registry = LocalRegistry.withTokenAuth(tokens.auth()).start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    registry.close();
    tokens.close();
  }

  /** The image reference of a repository and tag in the registry. */
  String reference(String repositoryAndTag) {
    return registry.reference(repositoryAndTag);
  }

  /** Its host and port. */
  String host() {
    return registry.host();
  }
}
