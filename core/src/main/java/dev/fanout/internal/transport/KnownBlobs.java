package dev.fanout.internal.transport;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which repository of which registry is known, during this run, to hold which blob: learnt from a
 * HEAD, a mount, an upload or a download. A target on the same host then mounts the blob from there
 * instead of uploading it again.
 */
final class KnownBlobs {

  private final Map<String, Set<String>> repositoriesByHostAndDigest = new ConcurrentHashMap<>();

  /**
   * Records that a repository holds a blob.
   *
   * @param host the registry host
   * @param repository the repository
   * @param digest the blob's digest
   */
  void record(String host, String repository, String digest) {
    repositoriesByHostAndDigest
        .computeIfAbsent(key(host, digest), ignored -> ConcurrentHashMap.newKeySet())
        .add(repository);
  }

  /**
   * Whether a repository is known to hold a blob.
   *
   * @param host the registry host
   * @param repository the repository
   * @param digest the blob's digest
   * @return true when it was recorded
   */
  boolean holds(String host, String repository, String digest) {
    return repositoriesByHostAndDigest
        .getOrDefault(key(host, digest), Set.of())
        .contains(repository);
  }

  /**
   * Another repository on the same host that holds a blob.
   *
   * @param host the registry host
   * @param repository the repository that needs the blob
   * @param digest the blob's digest
   * @return a repository to mount from
   */
  Optional<String> otherHolder(String host, String repository, String digest) {
    return repositoriesByHostAndDigest.getOrDefault(key(host, digest), Set.of()).stream()
        .filter(holder -> !holder.equals(repository))
        .sorted()
        .findFirst();
  }

  private static String key(String host, String digest) {
    return host.toLowerCase(Locale.ROOT) + " " + digest;
  }
}
