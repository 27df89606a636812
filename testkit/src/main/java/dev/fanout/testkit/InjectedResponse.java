package dev.fanout.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The responses the proxy makes up: error responses shaped like the registry's own (an OCI error
 * body in JSON), and writing any scripted response to the client.
 */
final class InjectedResponse {

  private InjectedResponse() {}

  /**
   * An error as a Distribution registry sends it, such as {@code
   * {"errors":[{"code":"UNAVAILABLE","message":"injected 503"}]}}.
   *
   * @param status a 4xx or 5xx status
   * @param retryAfter sent as whole delay-seconds when present
   */
  static ScriptedResponse ociError(int status, Optional<Duration> retryAfter) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json; charset=utf-8");
    headers.put("Docker-Distribution-Api-Version", "registry/2.0");
    retryAfter.ifPresent(wait -> headers.put("Retry-After", Long.toString(wait.toSeconds())));
    return new ScriptedResponse(
        status,
        headers,
        "{\"errors\":[{\"code\":\""
            + errorCode(status)
            + "\",\"message\":\"injected "
            + status
            + "\"}]}");
  }

  /**
   * Writes the response with its {@code Content-Length}; for a {@code HEAD} request, the head only.
   */
  static void write(ScriptedResponse response, boolean headOnly, OutputStream out)
      throws IOException {
    byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
    StringBuilder head =
        new StringBuilder()
            .append("HTTP/1.1 ")
            .append(response.status())
            .append(' ')
            .append(reason(response.status()))
            .append("\r\n");
    response
        .headers()
        .forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
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
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Scripted";
    };
  }
}
