package dev.fanout.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Scrubs the secrets a run has seen from any text that leaves Fanout (report details, log lines),
 * as a last line of defence behind messages that are written not to contain them.
 */
final class Redactor {

  /** What a secret is replaced with. */
  static final String MASK = "****";

  private final Set<String> secrets = ConcurrentHashMap.newKeySet();
  private final Consumer<String> onNewSecret;

  /**
   * A redactor that tells {@code onNewSecret} of each secret the first time it is registered.
   *
   * @param onNewSecret called with each new secret before {@link #register(String)} returns, so
   *     that a CI log masks it before anything can print it
   */
  Redactor(Consumer<String> onNewSecret) {
    this.onNewSecret = onNewSecret;
  }

  /**
   * Registers a secret. Synchronized so that a second target holding the same secret waits until
   * the first has finished announcing it.
   */
  synchronized void register(String secret) {
    if (secret != null && !secret.isEmpty() && secrets.add(secret)) {
      onNewSecret.accept(secret);
    }
  }

  String scrub(String text) {
    String scrubbed = text;
    for (String secret : secrets) {
      scrubbed = scrubbed.replace(secret, MASK);
    }
    return scrubbed;
  }
}
