package dev.fanout.internal.transport;

import dev.fanout.RegistryCredential;
import dev.fanout.spi.EndpointSafety;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

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
    HttpClient client =
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

  /** Stops the client's threads; open connections close with them. */
  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
  }
}
