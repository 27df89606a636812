package dev.fanout.testkit;

import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a {@link LocalRegistry} around JUnit 5 tests.
 *
 * <p>As a static field the registry is shared by every test in the class (started before all,
 * stopped after all); as an instance field each test gets a fresh, empty registry:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LocalRegistryExtension registry =
 *     LocalRegistryExtension.withBasicAuth("alice", "secret");
 *
 * @Test
 * void pushes() {
 *   String target = registry.reference("demo/app:1");
 *   ...
 * }
 * }</pre>
 *
 * <p>The accessors delegate to the running {@link LocalRegistry}, which {@link #registry()}
 * returns whole.
 */
public final class LocalRegistryExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private final Optional<BasicAuth> auth;
  private LocalRegistry running;
  private String startedBy;

  private LocalRegistryExtension(Optional<BasicAuth> auth) {
    this.auth = auth;
  }

  /**
   * An extension running a registry without auth, like {@link LocalRegistry#plain()}.
   *
   * @return the extension, to be registered with {@code @RegisterExtension}
   */
  public static LocalRegistryExtension plain() {
    return new LocalRegistryExtension(Optional.empty());
  }

  /**
   * An extension running a registry with Basic auth, like
   * {@link LocalRegistry#withBasicAuth(String, String)}.
   *
   * @param username the only user the registry accepts
   * @param password that user's password
   * @return the extension, to be registered with {@code @RegisterExtension}
   */
  public static LocalRegistryExtension withBasicAuth(String username, String password) {
    return new LocalRegistryExtension(Optional.of(new BasicAuth(username, password)));
  }

  /**
   * Starts the registry for the whole class. JUnit calls this only for a static field.
   *
   * @param context the class being run
   */
  @Override
  public void beforeAll(ExtensionContext context) {
    startFor(context);
  }

  /**
   * Stops the registry started in {@link #beforeAll}.
   *
   * @param context the class that was run
   */
  @Override
  public void afterAll(ExtensionContext context) {
    stopFor(context);
  }

  /**
   * Starts a registry for this test unless one already runs for the whole class.
   *
   * @param context the test about to run
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    startFor(context);
  }

  /**
   * Stops the registry if {@link #beforeEach} started it for this test.
   *
   * @param context the test that ran
   */
  @Override
  public void afterEach(ExtensionContext context) {
    stopFor(context);
  }

  /**
   * The running registry, for anything the delegating accessors below do not cover.
   *
   * @return the registry of the current class or test
   * @throws IllegalStateException outside a test, or if the extension was not registered with
   *     {@code @RegisterExtension}
   */
  public synchronized LocalRegistry registry() {
    if (running == null) {
      throw new IllegalStateException("no local registry is running here: register this extension"
          + " on a field annotated with @RegisterExtension and use it inside a test or lifecycle"
          + " method");
    }
    return running;
  }

  /**
   * See {@link LocalRegistry#host()}.
   *
   * @return {@code "127.0.0.1:PORT"}
   */
  public String host() {
    return registry().host();
  }

  /**
   * See {@link LocalRegistry#port()}.
   *
   * @return the registry's TCP port on 127.0.0.1
   */
  public int port() {
    return registry().port();
  }

  /**
   * See {@link LocalRegistry#reference(String)}.
   *
   * @param repositoryAndTag for example {@code "demo/app:1.0"}
   * @return for example {@code "127.0.0.1:PORT/demo/app:1.0"}
   */
  public String reference(String repositoryAndTag) {
    return registry().reference(repositoryAndTag);
  }

  /**
   * See {@link LocalRegistry#credentials()}.
   *
   * @return the credentials, or empty for a plain registry
   */
  public Optional<BasicAuth> credentials() {
    return registry().credentials();
  }

  /**
   * See {@link LocalRegistry#username()}.
   *
   * @return the user name the registry accepts
   */
  public String username() {
    return registry().username();
  }

  /**
   * See {@link LocalRegistry#password()}.
   *
   * @return the password the registry accepts
   */
  public String password() {
    return registry().password();
  }

  /**
   * See {@link LocalRegistry#log()}.
   *
   * @return the registry's log so far, including one access-log line per request
   */
  public String log() {
    return registry().log();
  }

  /**
   * Starts a registry unless one runs already, and remembers which context started it. Remembering
   * the owner is what lets one class of callbacks serve static and instance fields alike, and keeps
   * a {@code @Nested} class's after-all from stopping the outer class's registry.
   */
  private synchronized void startFor(ExtensionContext context) {
    if (running == null) {
      running = new LocalRegistry(LocalRegistry.BINARY, auth).start();
      startedBy = context.getUniqueId();
    }
  }

  private synchronized void stopFor(ExtensionContext context) {
    if (running != null && context.getUniqueId().equals(startedBy)) {
      try {
        running.stop();
      } finally {
        running = null;
        startedBy = null;
      }
    }
  }
}
