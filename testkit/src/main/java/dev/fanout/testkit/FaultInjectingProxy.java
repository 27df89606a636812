package dev.fanout.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An HTTP/1.1 proxy on a loopback port that sits in front of a real registry and injects scripted
 * faults, so tests can prove retry behaviour against real parts: a rate limiter answering 429, 429
 * or 503 on the first manifest uploads, a seeded or random share of failed requests, blob uploads
 * cut off part-way through their body, a slow registry, and a registry that is down. Everything
 * else is forwarded byte for byte, the {@code Host} header included, so the registry's absolute
 * {@code Location} URLs point back at the proxy. Every request and every injected fault is recorded
 * with the time the proxy read it and the time its outcome was known.
 *
 * <pre>{@code
 * try (FaultInjectingProxy proxy = FaultInjectingProxy.inFrontOf(registryHost)
 *         .failManifestUploads(2, 429, Duration.ofSeconds(2))
 *         .start()) {
 *     push("docker://" + proxy.host() + "/demo/app:1.0");
 *     assertEquals(2, proxy.requestCount(event -> event.status() == 429));
 * }
 * }</pre>
 *
 * <p>It is a small raw-socket proxy rather than {@code com.sun.net.httpserver} plus {@code
 * java.net.http}: only a socket lets it stop reading in the middle of a request body and drop the
 * connection, and it forwards {@code Host}, {@code Content-Length}, {@code Connection} and chunked
 * bodies unchanged where {@code HttpClient} would refuse or rewrite them.
 *
 * <p>A client's {@code Expect: 100-continue} is answered by the proxy itself and not forwarded.
 * Requests are served on a cached thread pool, one thread per open client connection.
 */
public final class FaultInjectingProxy implements AutoCloseable {

  /** See {@link #unreachableHost()}. */
  private static final String UNREACHABLE_HOST = "127.0.0.1:1";

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

  private final ServerSocket server;
  private final ExecutorService threads;
  private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
  private final List<ProxyEvent> events = new CopyOnWriteArrayList<>();
  private final InetSocketAddress upstream;
  private final FaultScript script;
  private final Clock clock = Clock.systemUTC();

  private FaultInjectingProxy(InetSocketAddress upstream, FaultScript script) throws IOException {
    this.upstream = upstream;
    this.script = script;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.threads =
        Executors.newCachedThreadPool(daemonThreads("fault-proxy-" + server.getLocalPort()));
    threads.execute(this::acceptConnections);
  }

  /**
   * Starts configuring a proxy for a registry.
   *
   * @param upstreamHostPort where the registry listens, as {@code host:port}, e.g. {@code
   *     127.0.0.1:5000}
   * @return a builder; nothing listens until {@link Builder#start()}
   */
  public static Builder inFrontOf(String upstreamHostPort) {
    int colon = upstreamHostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("expected host:port, got " + upstreamHostPort);
    }
    int port = Integer.parseInt(upstreamHostPort.substring(colon + 1));
    return new Builder(new InetSocketAddress(upstreamHostPort.substring(0, colon), port));
  }

  /**
   * A loopback {@code host:port} where nothing listens, for "registry unreachable" tests:
   * connecting to it is refused.
   *
   * <p>It is TCP port 1 (tcpmux), which is privileged and unused on build machines. An ephemeral
   * port that was free a moment ago is not safe: another test's registry can take it before the
   * test connects, and the "unreachable" push then lands.
   *
   * @return {@code 127.0.0.1:1}
   */
  public static String unreachableHost() {
    return UNREACHABLE_HOST;
  }

  /**
   * Where the proxy listens: use it in place of the registry's host.
   *
   * @return {@code 127.0.0.1:PORT}
   */
  public String host() {
    return hostPort(server);
  }

  /**
   * Every request and closed connection so far.
   *
   * @return an immutable snapshot, in the order their outcomes became known; each event is recorded
   *     before the client can see that outcome
   */
  public List<ProxyEvent> events() {
    return List.copyOf(events);
  }

  /**
   * The events where the proxy injected a fault.
   *
   * @return an immutable snapshot, in the order of {@link #events()}
   */
  public List<ProxyEvent> faults() {
    return events.stream().filter(ProxyEvent::injected).toList();
  }

  /**
   * How many events match, e.g. {@code requestCount(ProxyEvent::isManifestUpload)}. Closed
   * connections are events too, with an empty method and path.
   *
   * @param matching which events to count
   * @return the number of matching events so far
   */
  public long requestCount(Predicate<ProxyEvent> matching) {
    return events.stream().filter(matching).count();
  }

  /** Stops listening and closes every open connection, both to clients and to the registry. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      threads.shutdownNow();
      openSockets.forEach(FaultInjectingProxy::closeQuietly);
      awaitThreads();
    }
  }

  private void acceptConnections() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException closed) {
        return;
      }
      openSockets.add(client);
      try {
        threads.execute(
            new ProxyConnection(client, upstream, script, clock, events::add, openSockets));
      } catch (RejectedExecutionException closing) {
        openSockets.remove(client);
        closeQuietly(client);
      }
    }
  }

  private void awaitThreads() {
    try {
      threads.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException alreadyBroken) {
      // closing is all that is wanted; a socket that fails to close is gone either way
    }
  }

  private static String hostPort(ServerSocket socket) {
    return socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort();
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Configures the faults of a proxy. Rules are checked in this order: the rate limit, scripted
   * answers, manifest uploads, blob-upload drops, the share; the first that takes a request decides
   * its fate. A request none takes is forwarded, with the response headers of any {@link
   * #setResponseHeaders} rule it matches. Not thread-safe.
   */
  public static final class Builder {

    private final InetSocketAddress upstream;
    private final FaultScript script = new FaultScript();
    private boolean started;

    private Builder(InetSocketAddress upstream) {
      this.upstream = upstream;
    }

    /**
     * Limits the rate of all requests, as a limiter in front of a registry does: a token bucket
     * like nginx's {@code limit_req rate=R burst=B nodelay}, which after an idle spell lets {@code
     * 1 + burst} requests through at once and then one every {@code 1 / requestsPerSecond} seconds.
     * A request over the limit is answered 429 with {@code Retry-After} and an OCI error body
     * {@code {"errors":[{"code":"TOOMANYREQUESTS",...}]}}, without forwarding; it counts against no
     * other rule. One bucket serves every client of the proxy.
     *
     * @param requestsPerSecond the rate at which the bucket refills, positive
     * @param burst how many requests beyond the first may come at once, 0 or more
     * @param retryAfter whole seconds, sent as delay-seconds
     * @return this builder
     */
    public Builder limitRate(double requestsPerSecond, int burst, Duration retryAfter) {
      if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
        throw new IllegalArgumentException(
            "requestsPerSecond must be positive and finite: " + requestsPerSecond);
      }
      if (burst < 0) {
        throw new IllegalArgumentException("burst must not be negative: " + burst);
      }
      script().limitRate(requestsPerSecond, burst, requireWholeSeconds(retryAfter));
      return this;
    }

    /**
     * Answers the first {@code times} requests that match with a response of the test's own, such
     * as a registry's particular error, without forwarding them. Scripted answers are checked in
     * the order they were added, after the rate limit and before every other rule.
     *
     * <pre>{@code
     * .answer(1, ProxyRequest::isManifestUpload,
     *     ScriptedResponse.json(400, "{\"errors\":[{\"code\":\"TAG_INVALID\"}]}"))
     * }</pre>
     *
     * @param times how many requests to answer, {@link Integer#MAX_VALUE} for all
     * @param matching which requests
     * @param response the answer
     * @return this builder
     */
    public Builder answer(int times, Predicate<ProxyRequest> matching, ScriptedResponse response) {
      requirePositive(times);
      script()
          .answer(
              times,
              Objects.requireNonNull(matching, "matching"),
              Objects.requireNonNull(response, "response"));
      return this;
    }

    /**
     * Forwards the requests that match as usual, but sets these header fields in the registry's
     * response, each replacing the registry's fields of that name: for example another {@code
     * Docker-Content-Digest} on manifest uploads, to play a registry that claims to hold another
     * image than it was sent, or a registry's quota headers.
     *
     * @param matching which requests
     * @param headers the fields to set; none of {@code Content-Length}, {@code Transfer-Encoding}
     *     or {@code Connection}, which frame the response
     * @return this builder
     */
    public Builder setResponseHeaders(
        Predicate<ProxyRequest> matching, Map<String, String> headers) {
      headers.forEach(ScriptedResponse::requireField);
      script().setResponseHeaders(Objects.requireNonNull(matching, "matching"), headers);
      return this;
    }

    /**
     * Answers the first {@code times} manifest uploads ({@code PUT
     * /v2/<name>/manifests/<reference>}) with {@code status} and an OCI error body, without
     * forwarding them.
     *
     * @param times how many manifest uploads fail; later ones are forwarded
     * @param status a 4xx or 5xx status, typically 429 or 503
     * @return this builder
     */
    public Builder failManifestUploads(int times, int status) {
      return configureManifestFailures(times, status, Optional.empty());
    }

    /**
     * As {@link #failManifestUploads(int, int)}, with a {@code Retry-After} header.
     *
     * @param times how many manifest uploads fail; later ones are forwarded
     * @param status a 4xx or 5xx status, typically 429 or 503
     * @param retryAfter whole seconds, sent as delay-seconds
     * @return this builder
     */
    public Builder failManifestUploads(int times, int status, Duration retryAfter) {
      return configureManifestFailures(times, status, Optional.of(retryAfter));
    }

    /**
     * Answers a seeded share of requests with {@code status} and an OCI error body such as {@code
     * {"errors":[{"code":"UNAVAILABLE","message":"injected 503"}]}}. The proxy draws {@code new
     * Random(seed).nextDouble() < share} for each request in arrival order, so the same sequence of
     * requests meets the same faults on every run.
     *
     * @param share between 0 and 1, e.g. 0.3 for about 30 % of requests
     * @param seed the seed of the {@link java.util.Random} that picks the requests
     * @param status a 4xx or 5xx status, typically 503
     * @return this builder
     */
    public Builder failShareOfRequests(double share, long seed, int status) {
      return configureShareFailures(share, new Random(seed), status, Optional.empty());
    }

    /**
     * As {@link #failShareOfRequests(double, long, int)}, with a {@code Retry-After} header.
     *
     * @param share between 0 and 1, e.g. 0.3 for about 30 % of requests
     * @param seed the seed of the {@link java.util.Random} that picks the requests
     * @param status a 4xx or 5xx status, typically 503
     * @param retryAfter whole seconds, sent as delay-seconds
     * @return this builder
     */
    public Builder failShareOfRequests(double share, long seed, int status, Duration retryAfter) {
      return configureShareFailures(share, new Random(seed), status, Optional.of(retryAfter));
    }

    /**
     * Answers a random share of requests with {@code status}, a {@code Retry-After} header and an
     * OCI error body, as {@link #failShareOfRequests(double, long, int, Duration)} does but with an
     * unseeded {@link Random}: every proxy picks other requests, so a test repeated N times meets N
     * different sequences of faults rather than one lucky one.
     *
     * @param share between 0 and 1, e.g. 0.3 for about 30 % of requests
     * @param status a 4xx or 5xx status, typically 503
     * @param retryAfter whole seconds, sent as delay-seconds
     * @return this builder
     */
    public Builder failShareOfRequests(double share, int status, Duration retryAfter) {
      return configureShareFailures(share, new Random(), status, Optional.of(retryAfter));
    }

    /**
     * Answers every request with {@code status}, a {@code Retry-After} header and an OCI error
     * body, without forwarding any: a registry that keeps asking its clients to come back later,
     * such as one answering {@code Retry-After: 999999999}. The events' action is {@link
     * ProxyEvent.Action#FAILED_SHARE_OF_REQUESTS}: it is a share of 1.
     *
     * @param status a 4xx or 5xx status, typically 429 or 503
     * @param retryAfter whole seconds, sent as delay-seconds
     * @return this builder
     */
    public Builder failEveryRequest(int status, Duration retryAfter) {
      return failShareOfRequests(1.0, status, retryAfter);
    }

    /**
     * Cuts off the first {@code times} blob-upload requests ({@code PATCH}, {@code PUT}, or a
     * monolithic {@code POST}) whose body is longer than {@code afterBytes}: the proxy reads {@code
     * afterBytes} bytes of the body as sent (chunk framing included), then resets the connection
     * without answering, so the cut is always in the middle of the body. A chunked body counts as
     * long enough, since its length is known only at its end; one that ends sooner is read whole
     * before the reset. The registry never sees these requests.
     *
     * @param times how many blob uploads are cut off; later ones are forwarded
     * @param afterBytes how much of the body to read before resetting, 0 or more
     * @return this builder
     */
    public Builder dropBlobUploads(int times, long afterBytes) {
      requirePositive(times);
      if (afterBytes < 0) {
        throw new IllegalArgumentException("afterBytes must not be negative: " + afterBytes);
      }
      script().dropBlobUploads(times, afterBytes);
      return this;
    }

    /**
     * Resets the first {@code times} connections as soon as they are accepted, before reading
     * anything, as a registry that is restarting would.
     *
     * @param times how many connections are reset; later ones are served
     * @return this builder
     */
    public Builder closeConnections(int times) {
      requirePositive(times);
      script().closeConnections(times);
      return this;
    }

    /**
     * Holds every request the proxy forwards for {@code delay} before passing it on, as a slow or
     * distant registry would: pushes take longer, so the ones that run at once overlap clearly in
     * the events. Injected faults are answered without the delay.
     *
     * @param delay positive
     * @return this builder
     */
    public Builder delayRequests(Duration delay) {
      if (delay.isNegative() || delay.isZero()) {
        throw new IllegalArgumentException("delay must be positive: " + delay);
      }
      script().delayForwarding(delay);
      return this;
    }

    /**
     * Makes the registry look down: every connection is reset as soon as it is accepted.
     *
     * @return this builder
     */
    public Builder down() {
      return closeConnections(Integer.MAX_VALUE);
    }

    /**
     * Starts the proxy on a free loopback port. Call it once per builder.
     *
     * @return the running proxy; close it when the test is done
     * @throws IOException if no port could be bound
     */
    public FaultInjectingProxy start() throws IOException {
      FaultInjectingProxy proxy = new FaultInjectingProxy(upstream, script());
      started = true;
      return proxy;
    }

    private Builder configureManifestFailures(
        int times, int status, Optional<Duration> retryAfter) {
      requirePositive(times);
      script()
          .failManifestUploads(
              times, requireErrorStatus(status), retryAfter.map(Builder::requireWholeSeconds));
      return this;
    }

    private Builder configureShareFailures(
        double share, Random random, int status, Optional<Duration> retryAfter) {
      if (!(share >= 0 && share <= 1)) {
        throw new IllegalArgumentException("share must be between 0 and 1: " + share);
      }
      script()
          .failShareOfRequests(
              share,
              random,
              requireErrorStatus(status),
              retryAfter.map(Builder::requireWholeSeconds));
      return this;
    }

    private FaultScript script() {
      if (started) {
        throw new IllegalStateException("this proxy was already started");
      }
      return script;
    }

    private static void requirePositive(int times) {
      if (times <= 0) {
        throw new IllegalArgumentException("times must be positive: " + times);
      }
    }

    private static int requireErrorStatus(int status) {
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("status must be 4xx or 5xx: " + status);
      }
      return status;
    }

    private static Duration requireWholeSeconds(Duration retryAfter) {
      if (retryAfter.isNegative() || retryAfter.toNanosPart() != 0) {
        throw new IllegalArgumentException(
            "Retry-After must be whole, non-negative seconds: " + retryAfter);
      }
      return retryAfter;
    }
  }
}
