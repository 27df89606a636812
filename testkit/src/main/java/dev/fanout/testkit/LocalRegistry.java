package dev.fanout.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Distribution registry (the {@code docker-registry} binary, version 2.8) running as a child
 * process on a free port of 127.0.0.1, with its storage in a temporary folder.
 *
 * <p>Tests push to it and then check what landed with {@link RegistryChecker}. It is the real
 * server rather than a stub so that protocol details (upload sessions, digests, auth challenges)
 * are the ones production registries have.
 *
 * <pre>{@code
 * try (LocalRegistry registry = LocalRegistry.withBasicAuth("alice", "secret").start()) {
 *     // push registry.reference("demo/app:1") with the code under test, logging in with
 *     // registry.username() and registry.password(), then check what landed independently:
 *     assertEquals(List.of("1"),
 *         RegistryChecker.tags(registry.host(), "demo/app", registry.credentials()));
 * }
 * }</pre>
 *
 * <p>A handle starts once: {@link #start()} then {@link #stop()} (or {@link #close()}). A missing
 * {@code docker-registry} binary fails the test with the command that installs it; it never skips,
 * because a skipped registry test proves nothing.
 */
public final class LocalRegistry implements AutoCloseable {

  static final String BINARY = "docker-registry";
  static final String INSTALL_HINT =
      "apt-get install -y docker-registry"
          + " (Debian/Ubuntu package docker-registry, Distribution 2.8)";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
  private static final HttpClient PROBE =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(1))
          .build();

  private enum State {
    NEW,
    RUNNING,
    STOPPED
  }

  private final String binary;
  private final Optional<BasicAuth> auth;
  private final Optional<TokenAuth> tokenAuth;

  private State state = State.NEW;
  private Path folder;
  private Process process;
  private ProcessOutput output;
  private Thread shutdownHook;
  private int port;

  LocalRegistry(String binary, Optional<BasicAuth> auth) {
    this(binary, auth, Optional.empty());
  }

  private LocalRegistry(String binary, Optional<BasicAuth> auth, Optional<TokenAuth> tokenAuth) {
    this.binary = Objects.requireNonNull(binary, "binary");
    this.auth = Objects.requireNonNull(auth, "auth");
    this.tokenAuth = Objects.requireNonNull(tokenAuth, "tokenAuth");
  }

  /**
   * A registry that anyone may pull from and push to. Call {@link #start()} to run it.
   *
   * @return a handle that is not started yet
   */
  public static LocalRegistry plain() {
    return new LocalRegistry(BINARY, Optional.empty());
  }

  /**
   * A registry that requires HTTP Basic auth (htpasswd, bcrypt) for every request, including {@code
   * GET /v2/}. Call {@link #start()} to run it. Needs {@code htpasswd} from apache2-utils.
   *
   * @param username the only user the registry accepts; must not contain {@code ':'}
   * @param password that user's password
   * @return a handle that is not started yet
   */
  public static LocalRegistry withBasicAuth(String username, String password) {
    return new LocalRegistry(BINARY, Optional.of(new BasicAuth(username, password)));
  }

  /**
   * A registry that requires a bearer token for every request, including {@code GET /v2/}, as
   * Docker Hub does. Call {@link #start()} to run it; the test runs the token server.
   *
   * @param tokens where tokens come from and which signer the registry trusts
   * @return a handle that is not started yet
   */
  public static LocalRegistry withTokenAuth(TokenAuth tokens) {
    return new LocalRegistry(BINARY, Optional.empty(), Optional.of(tokens));
  }

  /**
   * Starts the registry and waits until {@code GET /v2/} answers (200, or 401 when auth is on).
   *
   * <p>If anything fails, the process is stopped and the temporary folder removed before the
   * exception is thrown, so a failed start leaves nothing behind.
   *
   * @return this handle, now running
   * @throws IllegalStateException if the binary is missing (the message says how to install it), if
   *     the registry does not become ready within 20 s (the message includes its log), or if this
   *     handle was started before
   */
  public synchronized LocalRegistry start() {
    if (state != State.NEW) {
      throw new IllegalStateException(
          "a LocalRegistry starts only once; create a new one with plain(), withBasicAuth(...) or"
              + " withTokenAuth(...)");
    }
    state = State.RUNNING;
    try {
      Instant deadline = Instant.now().plus(START_TIMEOUT);
      folder = Files.createTempDirectory("fanout-registry-");
      Path config = RegistryConfig.write(folder, auth, tokenAuth);
      launch(config);
      port = awaitListeningPort(deadline);
      awaitReady(deadline);
      return this;
    } catch (IOException e) {
      stop();
      throw new UncheckedIOException("could not prepare the registry's temporary folder", e);
    } catch (InterruptedException e) {
      stop();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the registry", e);
    } catch (RuntimeException | Error e) {
      stop();
      throw e;
    }
  }

  /**
   * Where the registry listens, as used in image references.
   *
   * @return {@code "127.0.0.1:PORT"}
   */
  public String host() {
    return "127.0.0.1:" + port();
  }

  /**
   * The port the registry listens on, picked by the kernel at start.
   *
   * @return the TCP port on 127.0.0.1
   * @throws IllegalStateException if the registry is not running
   */
  public synchronized int port() {
    requireRunning();
    return port;
  }

  /**
   * An image reference on this registry.
   *
   * @param repositoryAndTag for example {@code "demo/app:1.0"} or {@code "demo/app@sha256:..."}
   * @return for example {@code "127.0.0.1:PORT/demo/app:1.0"}
   */
  public String reference(String repositoryAndTag) {
    Objects.requireNonNull(repositoryAndTag, "repositoryAndTag");
    return host() + "/" + repositoryAndTag;
  }

  /**
   * The credentials the registry accepts, in the form {@link RegistryChecker} takes.
   *
   * @return the credentials, or empty for a {@link #plain()} or token-auth registry
   */
  public Optional<BasicAuth> credentials() {
    return auth;
  }

  /**
   * The user name the registry accepts.
   *
   * @return the name given to {@link #withBasicAuth(String, String)}
   * @throws IllegalStateException for a {@link #plain()} registry, which has no users
   */
  public String username() {
    return requireAuth().username();
  }

  /**
   * The password the registry accepts. Exposed on purpose: it is a throwaway test fixture.
   *
   * @return the password given to {@link #withBasicAuth(String, String)}
   * @throws IllegalStateException for a {@link #plain()} registry, which has no users
   */
  public String password() {
    return requireAuth().password();
  }

  /**
   * The registry's output so far: start-up messages and one access-log line per request. Useful in
   * assertion messages, for example to show which requests a client made.
   *
   * @return the captured log, or an empty string if the registry was never launched
   */
  public synchronized String log() {
    return output == null ? "" : output.text();
  }

  /**
   * Kills the registry process (and any children) and deletes its temporary folder. Safe to call
   * more than once, and on a handle that never started.
   *
   * @throws UncheckedIOException if the temporary folder cannot be deleted
   */
  public synchronized void stop() {
    State previous = state;
    state = State.STOPPED;
    if (previous != State.RUNNING) {
      return;
    }
    if (shutdownHook != null) {
      removeShutdownHook();
    }
    if (process != null) {
      kill(process);
    }
    if (folder != null) {
      deleteRecursively(folder);
    }
  }

  /** Same as {@link #stop()}, so that a registry can be used in try-with-resources. */
  @Override
  public void close() {
    stop();
  }

  /**
   * Describes the registry without the password.
   *
   * @return for example {@code LocalRegistry[127.0.0.1:41073, basic auth as alice]}
   */
  @Override
  public synchronized String toString() {
    String where = state == State.RUNNING && port != 0 ? "127.0.0.1:" + port : stateName();
    String access =
        auth.map(a -> "basic auth as " + a.username())
            .or(() -> tokenAuth.map(tokens -> "token auth from " + tokens.realm()))
            .orElse("no auth");
    return "LocalRegistry[" + where + ", " + access + "]";
  }

  /** The temporary folder with config, storage and htpasswd; tests check that stop() removes it. */
  synchronized Path folder() {
    return folder;
  }

  private void launch(Path config) {
    ProcessBuilder builder =
        new ProcessBuilder(List.of(binary, "serve", config.toString()))
            .directory(folder.toFile())
            .redirectErrorStream(true);
    // The registry lets REGISTRY_* variables override any config key; one leaking in from the
    // developer's or CI's environment (say REGISTRY_HTTP_ADDR) would silently change this instance.
    builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
    process = ExternalCommand.start(builder, INSTALL_HINT);
    output = ProcessOutput.drain(process.getInputStream(), "fanout-registry-log-" + process.pid());
    Process started = process;
    Path startedFolder = folder;
    shutdownHook =
        new Thread(
            () -> {
              kill(started);
              deleteRecursively(startedFolder);
            },
            "fanout-registry-shutdown-" + process.pid());
    // A test JVM that exits without stop() (a failed test run, a forgotten close) must not leave
    // registry processes or their storage behind.
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  private int awaitListeningPort(Instant deadline) throws InterruptedException {
    Optional<MatchResult> listening = output.awaitMatch(LISTENING, deadline);
    if (listening.isEmpty()) {
      throw notReady("it never logged 'listening on 127.0.0.1:PORT'");
    }
    return Integer.parseInt(listening.get().group(1));
  }

  /**
   * Polls {@code GET /v2/}. The registry logs "listening" right before it serves, so this is
   * normally a single request.
   */
  private void awaitReady(Instant deadline) throws InterruptedException {
    int expected = auth.isPresent() || tokenAuth.isPresent() ? 401 : 200;
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
            .timeout(Duration.ofSeconds(2))
            .build();
    String lastAnswer = "no answer yet";
    while (Instant.now().isBefore(deadline) && process.isAlive()) {
      try {
        int status = PROBE.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == expected) {
          return;
        }
        lastAnswer = "HTTP " + status + ", expected " + expected;
      } catch (IOException e) {
        lastAnswer = e.toString();
      }
      Thread.sleep(10);
    }
    throw notReady("GET /v2/ did not answer as expected (last: " + lastAnswer + ")");
  }

  private IllegalStateException notReady(String why) throws InterruptedException {
    // A process whose output just ended may not be reaped yet; a moment's wait gets its exit code.
    boolean exited = process.waitFor(200, TimeUnit.MILLISECONDS);
    String exit = exited ? "exited with code " + process.exitValue() : "still running";
    return new IllegalStateException(
        "The local registry did not become ready (start timeout "
            + START_TIMEOUT.toSeconds()
            + " s): "
            + why
            + "; process "
            + exit
            + ". Registry log:\n"
            + output.text());
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void removeShutdownHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down and the hook is running or ran; nothing left to undo.
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the registry's temporary folder " + root, e);
    }
  }

  private synchronized void requireRunning() {
    if (state != State.RUNNING || port == 0) {
      throw new IllegalStateException(
          "the local registry is not running ("
              + stateName()
              + "); call start() first, and do not use it after stop()");
    }
  }

  private String stateName() {
    return state.name().toLowerCase(Locale.ROOT);
  }

  private BasicAuth requireAuth() {
    return auth.orElseThrow(
        () ->
            new IllegalStateException(
                "this registry has no users: it was created with LocalRegistry.plain() or"
                    + " withTokenAuth(...), not withBasicAuth(...)"));
  }
}
