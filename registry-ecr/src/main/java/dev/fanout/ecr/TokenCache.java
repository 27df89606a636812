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

  /**
   * A token to replace one the registry refused: a new one, unless another target of the run
   * already replaced it, so that targets refused together fetch one token between them.
   *
   * @param registry the registry host
   * @param refused the secret the registry refused
   * @param fetch gets a new token
   * @return the token
   * @throws IOException when a new token cannot be had
   */
  EcrToken renew(String registry, String refused, Fetch fetch) throws IOException {
    return slots.computeIfAbsent(registry, key -> new Slot()).renew(refused, fetch);
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

    synchronized EcrToken renew(String refused, Fetch fetch) throws IOException {
      if (token == null || token.credential().secret().equals(refused)) {
        token = null;
      }
      return get(fetch);
    }
  }
}
