package dev.fanout.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the error response of an injected fault, shaped like the registry's own: an OCI error body
 * in JSON.
 */
final class InjectedResponse {

  private InjectedResponse() {}

  /** Writes the response; for a {@code HEAD} request, the head only. */
  static void write(Verdict.Answer answer, boolean headOnly, OutputStream out) throws IOException {
    int status = answer.status();
    byte[] body =
        ("{\"errors\":[{\"code\":\""
                + errorCode(status)
                + "\",\"message\":\"injected "
                + status
                + "\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    StringBuilder head =
        new StringBuilder()
            .append("HTTP/1.1 ")
            .append(status)
            .append(' ')
            .append(reason(status))
            .append("\r\n")
            .append("Content-Type: application/json; charset=utf-8\r\n")
            .append("Docker-Distribution-Api-Version: registry/2.0\r\n")
            .append("Content-Length: ")
            .append(body.length)
            .append("\r\n");
    answer
        .retryAfter()
        .ifPresent(wait -> head.append("Retry-After: ").append(wait.toSeconds()).append("\r\n"));
    out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    if (!headOnly) {
      out.write(body);
    }
    out.flush();
  }

  private static String errorCode(int status) {
    return switch (status) {
      case 429 -> "TOOMANYREQUESTS";
      case 503 -> "UNAVAILABLE";
      default -> "UNKNOWN";
    };
  }

  private static String reason(int status) {
    return switch (status) {
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Injected Fault";
    };
  }
}
