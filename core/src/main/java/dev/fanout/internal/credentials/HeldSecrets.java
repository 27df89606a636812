package dev.fanout.internal.credentials;

import dev.fanout.RegistryCredential;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Where every credential Fanout reads is announced, the moment it is read, to the runs in progress
 * in this process: {@link RegistryCredential#of(String, String)} announces each credential it makes
 * (from the environment, Docker's {@code config.json} and its credential helpers, a backend's
 * token), and a credential given directly is announced each time it is handed out.
 *
 * <p>A run's redactor watches for the run's length, so a credential read on any path (a target's,
 * or Jib pulling a base image with a credential retriever) is masked and scrubbed before the read
 * returns, before any text that could quote it is printed. Watchers are held weakly: a finished
 * run's redactor needs no unwatching.
 */
public final class HeldSecrets {

  /** Hears of each credential read while it watches. */
  public interface Watcher {

    /**
     * A credential was read; called on the reading thread, before the read returns.
     *
     * @param credential the credential
     */
    void credentialRead(RegistryCredential credential);
  }

  private static final Map<Watcher, Boolean> WATCHERS = new WeakHashMap<>();

  private HeldSecrets() {}

  /**
   * Starts telling a watcher of every credential read, for as long as it is reachable.
   *
   * @param watcher the watcher
   */
  public static void watch(Watcher watcher) {
    synchronized (WATCHERS) {
      WATCHERS.put(watcher, Boolean.TRUE);
    }
  }

  /**
   * Announces a credential that was just read.
   *
   * @param credential the credential
   */
  public static void read(RegistryCredential credential) {
    List<Watcher> watchers;
    synchronized (WATCHERS) {
      watchers = new ArrayList<>(WATCHERS.keySet());
    }
    watchers.forEach(watcher -> watcher.credentialRead(credential));
  }
}
