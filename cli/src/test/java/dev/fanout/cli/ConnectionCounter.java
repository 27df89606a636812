package dev.fanout.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/** A loopback port that counts the connections made to it and answers none. */
final class ConnectionCounter implements AutoCloseable {
  private final ServerSocket server;
  private final AtomicInteger connections = new AtomicInteger();
  private final Thread acceptor;

  ConnectionCounter() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (Socket ignored = server.accept()) {
                  connections.incrementAndGet();
                } catch (IOException closed) {
                  return;
                }
              }
            });
    acceptor.start();
  }

  /** Its host and port, as an image reference starts. */
  String host() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** The connections accepted so far. */
  int connections() {
    return connections.get();
  }

  @Override
  public void close() throws Exception {
    server.close();
    acceptor.join();
  }
}
