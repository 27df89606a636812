package dev.fanout.internal.credentials;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Where every credential Fanout reads is announced, the moment it is read, to the runs in progress
 * in this process: {@code dev.fanout.RegistryCredential.of} announces each credential it makes
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
     * @param username the credential's user name
     * @param secret its password or token
     */
    void credentialRead(String username, String secret);

    /**
     * Text with the secrets this watcher holds replaced.
     *
     * @param text the text
     * @return the text, scrubbed
     */
    String scrub(String text);
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
   * Scrubs text of every secret the runs in progress hold: for a message made where no run's
   * redactor is at hand (a failure's description), before it is logged or reported.
   *
   * @param text the text
   * @return the text, scrubbed
   */
  public static String scrub(String text) {
    String scrubbed = text;
    for (Watcher watcher : watchers()) {
      scrubbed = watcher.scrub(scrubbed);
    }
    return scrubbed;
  }

  /**
   * Announces a credential that was just read. The user name and secret rather than a {@code
   * RegistryCredential}, so that this package needs nothing of {@code dev.fanout}, which uses it.
   *
   * @param username the credential's user name
   * @param secret its password or token
   */
  public static void read(String username, String secret) {
    watchers().forEach(watcher -> watcher.credentialRead(username, secret));
  }

  private static List<Watcher> watchers() {
    synchronized (WATCHERS) {
      return new ArrayList<>(WATCHERS.keySet());
    }
  }
}
