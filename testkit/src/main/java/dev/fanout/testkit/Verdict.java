package dev.fanout.testkit;

import java.util.Map;

/** What the proxy does with one request, as decided by its {@link FaultScript}. */
sealed interface Verdict {

  /** Pass the request to the upstream registry and its response back unchanged. */
  Verdict FORWARD = new Forward(Map.of());

  /**
   * Pass the request to the upstream registry and its response back, with these header fields set
   * in the response (replacing the registry's fields of the same names).
   */
  record Forward(Map<String, String> responseHeaders) implements Verdict {}

  /**
   * Answer instead of forwarding; the request body is read and discarded first.
   *
   * @param action what the event records
   * @param response what the client gets
   */
  record Answer(ProxyEvent.Action action, ScriptedResponse response) implements Verdict {}

  /**
   * Read up to {@code afterBytes} bytes of the request body, then close the connection without
   * answering.
   */
  record Drop(long afterBytes) implements Verdict {}
}
