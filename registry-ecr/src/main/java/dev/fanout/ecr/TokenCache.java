package dev.fanout.ecr;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One registry token per ECR registry for a run, shared by every target on that registry and
 * fetched again only when it is about to expire. Targets are readied on several threads at once;
 * the first one for a registry fetches while the others wait for its token.
 */
final class TokenCache {

  /** Fetches a token; called with the registry's lock held. */
  @FunctionalInterface
  interface Fetch {
    EcrToken fetch() throws IOException;
  }

  private final Clock clock;
  private final Map<String, Slot> slots = new ConcurrentHashMap<>();

  TokenCache(Clock clock) {
    this.clock = clock;
  }

  /**
   * The registry's token: the cached one while it is usable, else a new one.
   *
   * @param registry the registry host
   * @param fetch gets a new token
   * @return the token
   * @throws IOException when a new token cannot be had
   */
  EcrToken get(String registry, Fetch fetch) throws IOException {
    return slots.computeIfAbsent(registry, key -> new Slot()).get(fetch);
  }

  /** Forgets every token, so that the next target fetches a new one. */
  void invalidateAll() {
    slots.values().forEach(Slot::clear);
  }

  /** The token of one registry, behind its own lock so registries do not wait for each other. */
  private final class Slot {
    private EcrToken token;

    synchronized EcrToken get(Fetch fetch) throws IOException {
      if (token == null || !token.usableAt(clock.instant())) {
        token = fetch.fetch();
      }
      return token;
    }

    synchronized void clear() {
      token = null;
    }
  }
}
