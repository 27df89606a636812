package dev.fanout.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback listener that counts the connections made to it and closes each at once: a registry
 * that answers nothing, for tests that count what reaches a host (none before a plan runs, 5 before
 * a circuit breaker opens). Shared through core's test jar, as {@link MovableClock} is.
 */
public final class ConnectionCounter implements AutoCloseable {
  private final ServerSocket socket;
  private final AtomicInteger connections = new AtomicInteger();

  /**
   * Starts listening on a free loopback port.
   *
   * @throws IOException when no port can be had
   */
  public ConnectionCounter() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!socket.isClosed()) {
                try (Socket accepted = socket.accept()) {
                  connections.incrementAndGet();
                } catch (SocketException closed) {
                  return;
                } catch (IOException ignored) {
                  connections.incrementAndGet();
                }
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Its host and port, as an image reference starts.
   *
   * @return such as {@code 127.0.0.1:40123}
   */
  public String host() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  /**
   * The connections accepted so far.
   *
   * @return the count
   */
  public int connections() {
    return connections.get();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
