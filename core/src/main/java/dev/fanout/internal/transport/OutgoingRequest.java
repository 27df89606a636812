package dev.fanout.internal.transport;

import java.net.URI;
import java.util.Map;

/**
 * A request before auth is added: method, absolute URI, headers, body.
 *
 * @param method the method
 * @param uri the absolute URI
 * @param headers extra headers (never {@code Authorization}; the sender adds it)
 * @param body the body
 */
record OutgoingRequest(String method, URI uri, Map<String, String> headers, RequestBody body) {

  /**
   * A request without a body.
   *
   * @param method the method
   * @param uri the URI
   * @param headers the headers
   * @return the request
   */
  static OutgoingRequest of(String method, URI uri, Map<String, String> headers) {
    return new OutgoingRequest(method, uri, Map.copyOf(headers), RequestBody.EMPTY);
  }

  /**
   * The same request sent somewhere else, as a redirect asks.
   *
   * @param target the new URI
   * @param keepMethod false for a 303, which turns the request into a body-less GET
   * @return the request to send there
   */
  OutgoingRequest redirectedTo(URI target, boolean keepMethod) {
    if (keepMethod || method.equals("HEAD")) {
      return new OutgoingRequest(method, target, headers, body);
    }
    return new OutgoingRequest("GET", target, Map.of(), RequestBody.EMPTY);
  }
}
