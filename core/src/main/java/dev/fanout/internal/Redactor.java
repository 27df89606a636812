package dev.fanout.internal;

import dev.fanout.RegistryCredential;
import dev.fanout.internal.credentials.HeldSecrets;
import dev.fanout.internal.text.UntrustedText;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Scrubs the secrets a run has seen from any text that leaves Fanout (report details, log lines),
 * as a last line of defence behind messages that are written not to contain them.
 *
 * <p>A secret is scrubbed in the forms it travels in, since a registry may quote a request back: as
 * it is, JSON-escaped, URL-encoded, as a log line shows it, and, for a credential, {@code
 * user:secret} in base64 (standard and URL-safe, with and without padding), as a Basic {@code
 * Authorization} header carries it.
 *
 * <p>From its creation, a redactor hears of every credential the process reads ({@link
 * HeldSecrets}), so that a credential read on any path is masked before the read returns.
 */
final class Redactor implements HeldSecrets.Watcher {

  /** What a secret is replaced with. */
  static final String MASK = "****";

  /** Longest first, so that a longer form is scrubbed whole before a shorter one inside it. */
  private static final Comparator<String> LONGEST_FIRST =
      Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder());

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
    HeldSecrets.watch(this);
  }

  /**
   * Registers a secret given without its user (a token). Synchronized so that a second target
   * holding the same secret waits until the first has finished announcing it.
   */
  synchronized void register(String secret) {
    if (secret == null || secret.isEmpty() || !secrets.add(secret)) {
      return;
    }
    onNewSecret.accept(secret);
    secrets.addAll(escapedForms(secret));
  }

  /**
   * Registers a credential: its secret as {@link #register(String)} does, and {@code user:secret}
   * in base64, whose forms are announced too, since a CI log's masking knows nothing of them.
   *
   * @param credential the credential
   */
  void register(RegistryCredential credential) {
    register(credential.username(), credential.secret());
  }

  /** Registers a user's secret and its Basic forms, as {@link #register(RegistryCredential)}. */
  private synchronized void register(String username, String secret) {
    register(secret);
    for (String encoded : basicForms(username, secret)) {
      if (secrets.add(encoded)) {
        onNewSecret.accept(encoded);
      }
    }
  }

  /**
   * Registers the credentials a run knows before any target's work starts, so that they are masked
   * before anything of a target is printed.
   *
   * @param credentials the credentials
   */
  void registerAll(Collection<RegistryCredential> credentials) {
    credentials.forEach(this::register);
  }

  @Override
  public void credentialRead(String username, String secret) {
    register(username, secret);
  }

  @Override
  public String scrub(String text) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    String scrubbed = text;
    for (String secret : secrets.stream().sorted(LONGEST_FIRST).toList()) {
      scrubbed = scrubbed.replace(secret, MASK);
    }
    return scrubbed;
  }

  /** The forms a secret takes inside JSON, a URL or a form, and in a neutralised log line. */
  private static Set<String> escapedForms(String secret) {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(UntrustedText.jsonContent(secret));
    forms.add(UntrustedText.jsonContent(secret).replace("/", "\\/"));
    String formEncoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
    forms.add(formEncoded);
    forms.add(formEncoded.replace("+", "%20"));
    forms.add(UntrustedText.logLine(secret));
    forms.remove("");
    forms.remove(secret);
    return forms;
  }

  /**
   * {@code user:secret} in base64 as a Basic {@code Authorization} header or Docker's {@code
   * config.json} carries it, without padding: a padded form holds the unpadded one.
   */
  private static List<String> basicForms(String username, String secret) {
    byte[] pair = (username + ":" + secret).getBytes(StandardCharsets.UTF_8);
    String standard = Base64.getEncoder().withoutPadding().encodeToString(pair);
    String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(pair);
    return standard.equals(urlSafe) ? List.of(standard) : List.of(standard, urlSafe);
  }
}
