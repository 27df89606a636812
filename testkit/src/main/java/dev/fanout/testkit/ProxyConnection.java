package dev.fanout.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one client connection of a {@link FaultInjectingProxy}: reads requests one after another
 * (keep-alive), and for each either injects the fault its {@link FaultScript} picks or forwards it
 * over a fresh upstream connection that is closed once the response has been relayed. Bytes that
 * are not HTTP, such as the TLS ClientHello that skopeo and Jib send first, get a 400 and a closed
 * connection, so those clients fall back to plain HTTP at once.
 */
final class ProxyConnection implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyConnection.class);
  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] BAD_REQUEST =
      "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1);

  private final Socket client;
  private final InetSocketAddress upstream;
  private final FaultScript script;
  private final Clock clock;
  private final Consumer<ProxyEvent> events;
  private final Set<Socket> openSockets;

  ProxyConnection(
      Socket client,
      InetSocketAddress upstream,
      FaultScript script,
      Clock clock,
      Consumer<ProxyEvent> events,
      Set<Socket> openSockets) {
    this.client = client;
    this.upstream = upstream;
    this.script = script;
    this.clock = clock;
    this.events = events;
    this.openSockets = openSockets;
  }

  @Override
  public void run() {
    try (client) {
      if (script.closeNextConnection()) {
        Instant now = clock.instant();
        events.accept(
            new ProxyEvent(
                now, now, "", "", ProxyEvent.Action.CLOSED_CONNECTION, ProxyEvent.NO_STATUS));
        abort(client);
        return;
      }
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = new BufferedOutputStream(client.getOutputStream());
      try {
        boolean keepAlive = true;
        while (keepAlive) {
          var request = HttpHead.read(in);
          keepAlive = request.isPresent() && serve(request.get(), in, out);
        }
      } catch (ProtocolException notHttp) {
        out.write(BAD_REQUEST);
        out.flush();
      }
    } catch (IOException e) {
      LOG.debug("connection from {} ended: {}", client.getRemoteSocketAddress(), e.toString());
    } finally {
      openSockets.remove(client);
    }
  }

  /**
   * Serves one request; returns whether the connection can carry another. Each event is recorded as
   * soon as the outcome is known and before the client can see it, so a test that has its answer
   * (or its broken connection) finds the event already there.
   */
  private boolean serve(HttpHead request, InputStream in, OutputStream out) throws IOException {
    Instant at = clock.instant();
    if (request.hasToken("Expect", "100-continue")) {
      out.write(CONTINUE);
      out.flush();
      request = request.without("Expect");
    }
    MessageBody body = MessageBody.ofRequest(request);
    Verdict verdict = script.decide(request.method(), request.path(), body.declaredLength());
    if (verdict instanceof Verdict.Answer answer) {
      record(at, request, answer.action(), answer.response().status());
      if (!body.copy(in, OutputStream.nullOutputStream())) {
        return false;
      }
      InjectedResponse.write(answer.response(), request.method().equals("HEAD"), out);
      return !request.hasToken("Connection", "close");
    }
    if (verdict instanceof Verdict.Drop drop) {
      body.copy(new FirstBytes(in, drop.afterBytes()), OutputStream.nullOutputStream());
      record(at, request, ProxyEvent.Action.DROPPED_BLOB_UPLOAD, ProxyEvent.NO_STATUS);
      abort(client);
      return false;
    }
    return forward(at, request, body, ((Verdict.Forward) verdict).responseHeaders(), in, out);
  }

  /**
   * Relays the request over a fresh registry connection, after the script's forwarding delay, then
   * the registry's response back to the client with {@code responseHeaders} set in it.
   */
  private boolean forward(
      Instant at,
      HttpHead request,
      MessageBody body,
      Map<String, String> responseHeaders,
      InputStream in,
      OutputStream out)
      throws IOException {
    holdFor(script.forwardDelay());
    Socket registry = new Socket();
    openSockets.add(registry);
    try (registry) {
      InputStream fromRegistry;
      HttpHead response;
      try {
        registry.connect(upstream);
        OutputStream toRegistry = new BufferedOutputStream(registry.getOutputStream());
        request.writeTo(toRegistry);
        if (!body.copy(in, toRegistry)) {
          throw new EOFException("the client closed the connection inside the request body");
        }
        toRegistry.flush();
        fromRegistry = new BufferedInputStream(registry.getInputStream());
        response =
            HttpHead.read(fromRegistry)
                .orElseThrow(
                    () -> new EOFException("the registry closed the connection without answering"));
        record(
            at,
            request,
            responseHeaders.isEmpty()
                ? ProxyEvent.Action.FORWARDED
                : ProxyEvent.Action.FORWARDED_WITH_HEADERS,
            response.status());
      } catch (IOException e) {
        record(at, request, ProxyEvent.Action.FORWARDED, ProxyEvent.NO_STATUS);
        throw e;
      }
      MessageBody responseBody = MessageBody.ofResponse(response, request.method());
      response.with(responseHeaders).writeTo(out);
      responseBody.copy(fromRegistry, out);
      out.flush();
      return !responseBody.endsWithConnection()
          && !request.hasToken("Connection", "close")
          && !response.hasToken("Connection", "close");
    } finally {
      openSockets.remove(registry);
    }
  }

  private void record(Instant at, HttpHead request, ProxyEvent.Action action, int status) {
    events.accept(
        new ProxyEvent(at, clock.instant(), request.method(), request.path(), action, status));
  }

  /** Sleeps, as a slow registry would take its time; the proxy closing ends the sleep. */
  private static void holdFor(Duration delay) throws InterruptedIOException {
    if (delay.isZero()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException closing) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("the proxy closed while holding a request");
    }
  }

  /** Closes with a reset rather than an orderly shutdown, as a crashed or unplugged peer would. */
  private static void abort(Socket socket) throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  /** The first {@code limit} bytes of a stream, then end of stream. */
  private static final class FirstBytes extends FilterInputStream {

    private long remaining;

    FirstBytes(InputStream in, long limit) {
      super(in);
      this.remaining = limit;
    }

    @Override
    public int read() throws IOException {
      if (remaining == 0) {
        return -1;
      }
      int b = super.read();
      if (b != -1) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (remaining == 0) {
        return -1;
      }
      int read = super.read(buffer, offset, (int) Math.min(length, remaining));
      if (read != -1) {
        remaining -= read;
      }
      return read;
    }
  }
}
