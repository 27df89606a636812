package dev.fanout.internal.transport;

import java.io.IOException;

/**
 * Runs one logical registry request, and decides whether and when to run it again: the engine's
 * retry policy plugs in here. The transport calls {@link #run} once per request of a push (a HEAD,
 * a mount, an upload's POST, its PUT, a manifest PUT), so a failed request is retried on its own
 * and a push never starts over.
 *
 * <p>An {@link Exchange} may be called again after it threw; it is written so that calling it again
 * is safe and repeats nothing that already succeeded (a lost upload session is opened again inside
 * the retried exchange).
 */
public interface RequestRunner {

  /**
   * Runs an exchange, possibly several times.
   *
   * @param what a short description without secrets, for example {@code HEAD blob sha256:abcd1234...
   *     on 127.0.0.1:5000/acme/app}
   * @param exchange the request; it follows redirects and refreshes auth once by itself
   * @param <T> what the exchange gives
   * @return what the exchange gave on its last, successful call
   * @throws IOException the failure of the last call: {@link RegistryResponseException} for an
   *     answer the transport could not use, {@link RegistryContentException} for bytes that do not
   *     match their digest, the JDK's own exceptions for connection failures
   * @throws InterruptedException when the thread is interrupted
   */
  <T> T run(String what, Exchange<T> exchange) throws IOException, InterruptedException;

  /**
   * Runs a manifest upload, as {@link #run} does. Some registries limit manifest uploads on their
   * own (ECR's {@code PutImage} quota), so a runner may space these out; each try counts once.
   *
   * @param what a short description without secrets
   * @param exchange the manifest PUT
   * @param <T> what the exchange gives
   * @return what the exchange gave on its last, successful call
   * @throws IOException the failure of the last call
   * @throws InterruptedException when the thread is interrupted
   */
  default <T> T runManifestUpload(String what, Exchange<T> exchange)
      throws IOException, InterruptedException {
    return run(what, exchange);
  }

  /**
   * One request and what belongs to it: its redirects, its one auth refresh and, for an upload
   * whose session the registry lost, the POST that opens a new one.
   *
   * @param <T> what it gives
   */
  @FunctionalInterface
  interface Exchange<T> {

    /**
     * Sends the request.
     *
     * @return the result
     * @throws IOException when the request failed
     * @throws InterruptedException when the thread is interrupted
     */
    T send() throws IOException, InterruptedException;
  }

  /**
   * A runner that runs each exchange once and lets its failure through.
   *
   * @return the runner
   */
  static RequestRunner once() {
    return new RequestRunner() {
      @Override
      public <T> T run(String what, Exchange<T> exchange) throws IOException, InterruptedException {
        return exchange.send();
      }
    };
  }
}
