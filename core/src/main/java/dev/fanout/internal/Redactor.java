package dev.fanout.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scrubs the secrets a run has seen from any text that leaves Fanout (report details, log lines),
 * as a last line of defence behind messages that are written not to contain them.
 */
final class Redactor {

  /** What a secret is replaced with. */
  static final String MASK = "****";

  private final Set<String> secrets = ConcurrentHashMap.newKeySet();

  void register(String secret) {
    if (secret != null && !secret.isEmpty()) {
      secrets.add(secret);
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
