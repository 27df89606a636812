package dev.fanout.internal;

import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.http.ResponseException;
import com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException;
import dev.fanout.internal.credentials.HeldSecrets;
import dev.fanout.internal.text.UntrustedText;
import dev.fanout.internal.transport.RegistryResponseException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns the exceptions the transport, Jib's build and backends throw into one line a release
 * engineer can act on.
 *
 * <p>The transport's {@link RegistryResponseException} already says what happened in one line. Jib,
 * when it pulls a base image, wraps a registry failure in an {@link ExecutionException} around a
 * {@link ResponseException} whose message is the status line, then the request, then the body.
 */
final class Failures {

  private Failures() {}

  /**
   * The failure in one line, scrubbed of the secrets of the runs in progress and neutralised
   * ({@link UntrustedText#logLine(String)}): the messages it quotes come from registries and
   * control planes, may quote a request back, and the line goes to logs, the console and the
   * reports.
   *
   * @param failure what was thrown
   * @return one line that holds no known secret and cannot act as a workflow command
   */
  static String describe(Throwable failure) {
    return UntrustedText.logLine(HeldSecrets.scrub(sentence(unwrap(failure))));
  }

  private static String sentence(Throwable cause) {
    if (cause instanceof RegistryUnauthorizedException unauthorized) {
      return "authentication failed for "
          + unauthorized.getImageReference()
          + " (HTTP "
          + unauthorized.getHttpResponseException().getStatusCode()
          + "): check the credential";
    }
    if (cause instanceof RegistryCredentialsNotSentException) {
      return "the registry asked for credentials, which are not sent over plain HTTP: "
          + firstLine(cause.getMessage());
    }
    if (cause instanceof InsecureRegistryException) {
      return "the registry does not speak verified HTTPS; allow plain HTTP for this target if it is"
          + " a trusted local registry";
    }
    if (cause instanceof RegistryResponseException) {
      return firstLine(cause.getMessage());
    }
    if (cause instanceof HttpTimeoutException) {
      return "the registry did not answer in time";
    }
    if (cause instanceof ResponseException response) {
      String[] lines = String.valueOf(response.getMessage()).split("\n", 3);
      String request = lines.length > 1 ? " (" + lines[1] + ")" : "";
      return "HTTP " + lines[0].trim() + request;
    }
    if (cause instanceof ConnectException) {
      String message = firstLine(cause.getMessage());
      return "cannot connect to the registry" + (message.isEmpty() ? "" : ": " + message);
    }
    if (cause instanceof UnknownHostException) {
      return "unknown registry host: " + firstLine(cause.getMessage());
    }
    if (cause instanceof SocketTimeoutException) {
      return "the registry did not answer in time: " + firstLine(cause.getMessage());
    }
    String message = cause.getMessage();
    return message == null || message.isBlank()
        ? cause.getClass().getSimpleName()
        : firstLine(message);
  }

  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof ExecutionException || cause instanceof CompletionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }
}
