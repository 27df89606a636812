package dev.fanout.internal.transport;

import dev.fanout.RegistryCredential;
import dev.fanout.spi.EndpointSafety;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fanout's OCI distribution client: one per run, shared by every target. It owns the run's one
 * {@link HttpClient} (connections reused; HTTP/2 offered over TLS, HTTP/1.1 on plain HTTP;
 * redirects followed by hand), the Bearer tokens of the run, the challenges each registry host
 * answered with, and which repository is known to hold which blob, so that a second repository on
 * one host mounts blobs instead of uploading them.
 *
 * <pre>{@code
 * try (RegistryTransport transport = RegistryTransport.create()) {
 *   RepositoryClient client = transport.repository(
 *       new RepositoryEndpoint("ghcr.io", "acme/app", false), credential, RequestRunner.once());
 *   String digest = client.push(image, List.of("1.0"));
 * }
 * }</pre>
 *
 * <p>It sets no system property and never sends a credential in clear off this machine.
 */
public final class RegistryTransport implements AutoCloseable {

  /** How long opening a TCP (and TLS) connection may take before it counts as failed. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * How long a request may wait for its response headers; a request with a body gets one more
   * second per MiB of it ({@link HttpSender#SLOWEST_BYTES_PER_SECOND}). Registries answer in well
   * under a second; a minute means the registry or the path to it is stuck.
   */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  /**
   * How Java's HttpClient ends its {@code toString()} on Java 17 to 25, as in {@code
   * "jdk.internal.net.http.HttpClientImpl@1b2c(7)"}: the number names its selector thread.
   */
  private static final Pattern CLIENT_ID = Pattern.compile("\\((\\d+)\\)$");

  /**
   * The name of the thread that waits for a client's sockets, blocked in {@code epoll_wait} until
   * the client is collected (Java 17 has no {@code HttpClient.close()}). A JVM that exits waits up
   * to 300 ms for every thread that runs native code (HotSpot's {@code VM_Exit}), so a push that
   * left it waiting ended 0.3 s after its report: bench image to one registry 2.10 -> 1.85 s, to
   * three 2.64 -> 2.36 s (Java 17, medians of 6 and 5 interleaved runs, 2026-12-05; Java 25 waits
   * the same). Interrupted, the thread leaves its loop and closes the client's connections. Should
   * a JDK name it otherwise, nothing is interrupted and only the 0.3 s come back.
   */
  private static final String SELECTOR_THREAD = "HttpClient-%s-SelectorManager";

  /** How long closing waits for the selector thread to end. It ends within milliseconds. */
  private static final Duration SELECTOR_THREAD_END = Duration.ofSeconds(1);

  private final HttpClient client;
  private final ExecutorService executor;
  private final HttpSender sender;
  private final BearerTokens tokens;
  private final Map<String, AuthChallenge> challengesByHost = new ConcurrentHashMap<>();
  private final KnownBlobs knownBlobs = new KnownBlobs();
  private volatile boolean closed;

  private RegistryTransport(Duration connectTimeout, Duration requestTimeout, Clock clock) {
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "fanout-http-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(connectTimeout)
            .executor(executor)
            .build();
    this.sender = new HttpSender(client, requestTimeout);
    this.tokens = new BearerTokens(sender, clock);
  }

  /**
   * A transport with the default timeouts ({@link #CONNECT_TIMEOUT}, {@link #REQUEST_TIMEOUT}).
   *
   * @return the transport; close it when the run ends
   */
  public static RegistryTransport create() {
    return new RegistryTransport(CONNECT_TIMEOUT, REQUEST_TIMEOUT, Clock.systemUTC());
  }

  /**
   * A transport with other timeouts and clock, for tests.
   *
   * @param connectTimeout the connect timeout
   * @param requestTimeout the time limit of a request without a body
   * @param clock the clock that ages tokens
   * @return the transport
   */
  static RegistryTransport create(Duration connectTimeout, Duration requestTimeout, Clock clock) {
    return new RegistryTransport(connectTimeout, requestTimeout, clock);
  }

  /**
   * A client for one repository.
   *
   * @param endpoint the registry host, repository and whether to speak plain HTTP
   * @param credential the credential, or empty to go anonymously
   * @param runner the retry hook every request goes through
   * @return the client
   * @throws IllegalArgumentException when a credential would travel over plain HTTP to a host that
   *     is not this machine; no request is made
   * @throws IllegalStateException when the transport is closed
   */
  public RepositoryClient repository(
      RepositoryEndpoint endpoint, Optional<RegistryCredential> credential, RequestRunner runner) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(credential, "credential");
    Objects.requireNonNull(runner, "runner");
    if (closed) {
      throw new IllegalStateException("this RegistryTransport is closed");
    }
    if (credential.isPresent()
        && !EndpointSafety.credentialsMayTravel(endpoint.host(), endpoint.plainHttp())) {
      throw new IllegalArgumentException(
          EndpointSafety.plainHttpProblem(
              "the credential of user '" + credential.get().username() + "'", endpoint.host()));
    }
    RegistryHttp http = new RegistryHttp(endpoint, credential, sender, tokens, challengesByHost);
    return new RepositoryClient(endpoint, http, runner, knownBlobs);
  }

  /**
   * Stops the client's threads, its selector thread included ({@link #SELECTOR_THREAD}); open
   * connections close with them. Requests still under way fail.
   */
  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
    selectorThread().ifPresent(RegistryTransport::end);
  }

  /** The client's selector thread, if it runs under the name Java 17 to 25 give it. */
  Optional<Thread> selectorThread() {
    Matcher id = CLIENT_ID.matcher(client.toString());
    if (!id.find()) {
      return Optional.empty();
    }
    String name = String.format(SELECTOR_THREAD, id.group(1));
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() + 8];
    int count = root.enumerate(threads, true);
    return Arrays.stream(threads, 0, count)
        .filter(thread -> thread.getName().equals(name))
        .findFirst();
  }

  private static void end(Thread thread) {
    thread.interrupt();
    try {
      thread.join(SELECTOR_THREAD_END.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
