package dev.fanout.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/** Bounds how many pushes run at once against each registry host. */
final class HostLimits {

  private final int permitsPerHost;
  private final Map<String, Semaphore> hosts = new ConcurrentHashMap<>();

  HostLimits(int permitsPerHost) {
    this.permitsPerHost = permitsPerHost;
  }

  /**
   * Runs {@code work} once a slot on {@code host} is free.
   *
   * @param host the registry host
   * @param work the push
   * @param <T> its result
   * @return its result
   * @throws Exception whatever {@code work} throws
   */
  <T> T withSlot(String host, java.util.concurrent.Callable<T> work) throws Exception {
    Semaphore slots = hosts.computeIfAbsent(host, key -> new Semaphore(permitsPerHost, true));
    slots.acquire();
    try {
      return work.call();
    } finally {
      slots.release();
    }
  }
}
