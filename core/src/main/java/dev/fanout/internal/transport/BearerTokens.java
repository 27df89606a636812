package dev.fanout.internal.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.RegistryCredential;
import dev.fanout.spi.EndpointSafety;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens of a run: fetched from the realm a registry's challenge names, and reused per host,
 * scopes and credential until they expire (registry-protocols.md §1.4).
 */
final class BearerTokens {

  /** How long a token lives when its service does not say: 60 s, the token spec's default. */
  static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);

  /** A token is dropped this long before it expires, so that it never expires in flight. */
  static final Duration EXPIRY_MARGIN = Duration.ofSeconds(10);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(BearerTokens.class);

  /**
   * What a token is for.
   *
   * @param host the registry host
   * @param scopes the scopes asked for, in request order
   * @param credential whose token it is; empty for an anonymous one
   */
  record Key(String host, List<String> scopes, Optional<RegistryCredential> credential) {}

  /**
   * A token from a token service.
   *
   * @param value the token
   * @param expires when it stops being used
   * @param credentialWithheld whether a credential existed but the realm was not safe to send it to
   */
  record Token(String value, Instant expires, boolean credentialWithheld) {}

  private final HttpSender sender;
  private final Clock clock;
  private final Map<Key, Token> cache = new ConcurrentHashMap<>();

  BearerTokens(HttpSender sender, Clock clock) {
    this.sender = sender;
    this.clock = clock;
  }

  /**
   * A live token for the key, from the cache.
   *
   * @param key what the token is for
   * @return the token, when one is cached and not about to expire
   */
  Optional<Token> cached(Key key) {
    Token token = cache.get(key);
    if (token == null || !clock.instant().isBefore(token.expires())) {
      return Optional.empty();
    }
    return Optional.of(token);
  }

  /**
   * Forgets a token the registry refused, unless another thread already replaced it.
   *
   * @param key what it was for
   * @param refused the refused token
   */
  void forget(Key key, Token refused) {
    cache.remove(key, refused);
  }

  /**
   * Asks the challenge's realm for a token and caches it. The credential is sent as Basic only when
   * it may travel to the realm (HTTPS, or plain HTTP on this machine); otherwise the token is asked
   * for anonymously, so that a realm a registry names never sees it.
   *
   * @param key what the token is for
   * @param challenge the registry's Bearer challenge
   * @return the token
   * @throws IOException when the realm is unusable, refuses, or answers without a token
   * @throws InterruptedException when interrupted
   */
  Token fetch(Key key, AuthChallenge challenge) throws IOException, InterruptedException {
    String realm =
        challenge
            .parameter("realm")
            .orElseThrow(
                () ->
                    new RegistryContentException(
                        key.host() + " asks for a Bearer token without naming a token service"));
    URI realmUri = realmUri(key, challenge, realm);
    boolean mayTravel = EndpointSafety.credentialsMayTravel(realmUri);
    Optional<String> basic =
        key.credential().filter(credential -> mayTravel).map(BearerTokens::basic);
    boolean withheld = key.credential().isPresent() && !mayTravel;
    if (withheld) {
      LOG.debug(
          "token service {} is plain HTTP off this machine; asking it anonymously",
          realmUri.getHost());
    }
    HttpResponse<InputStream> response =
        sender.send(
            OutgoingRequest.of("GET", realmUri, Map.of("Accept", "application/json")), basic);
    RegistryResponse answer = HttpSender.read("GET", response);
    if (answer.status() != 200) {
      throw new RegistryResponseException(
          refusal(key, realmUri, answer, basic.isPresent()), answer, false);
    }
    Token token = parse(key, realmUri, answer, withheld);
    cache.put(key, token);
    return token;
  }

  /**
   * The {@code Authorization} value of HTTP Basic.
   *
   * @param credential the credential
   * @return {@code Basic base64(user:secret)}
   */
  static String basic(RegistryCredential credential) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(
                (credential.username() + ":" + credential.secret())
                    .getBytes(StandardCharsets.UTF_8));
  }

  private static URI realmUri(Key key, AuthChallenge challenge, String realm)
      throws RegistryContentException {
    StringBuilder query = new StringBuilder();
    challenge
        .parameter("service")
        .ifPresent(service -> query.append("service=").append(encode(service)));
    for (String scope : key.scopes()) {
      query.append(query.length() == 0 ? "" : "&").append("scope=").append(encode(scope));
    }
    try {
      URI base = URI.create(realm);
      String scheme = String.valueOf(base.getScheme()).toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && base.getHost() != null) {
        String separator = base.getRawQuery() == null ? "?" : "&";
        return URI.create(realm + (query.length() == 0 ? "" : separator + query));
      }
    } catch (IllegalArgumentException malformed) {
      LOG.debug("unusable realm from {}", key.host());
    }
    throw new RegistryContentException(
        key.host() + " names a token service that is not an http(s) URL");
  }

  private static String refusal(
      Key key, URI realm, RegistryResponse answer, boolean sentCredential) {
    StringBuilder status = new StringBuilder().append(answer.status());
    answer.errorCodes().forEach(code -> status.append(' ').append(code));
    String where = "the token service " + realm.getHost() + " (for " + key.host() + ")";
    String codes = RegistryText.neutralise(status.toString(), List.of());
    if (answer.status() != 401 && answer.status() != 403) {
      return where + " answered " + codes + " to the token request";
    }
    String who =
        sentCredential
            ? "the credential of user '" + key.credential().get().username() + "'"
            : "an anonymous token request";
    return where + " refused " + who + " (" + codes + ")";
  }

  private Token parse(Key key, URI realm, RegistryResponse answer, boolean withheld)
      throws RegistryContentException {
    try {
      JsonNode json = JSON.readTree(answer.body());
      String value = json.path("token").asText("");
      if (value.isEmpty()) {
        value = json.path("access_token").asText("");
      }
      if (!value.isEmpty()) {
        long seconds = json.path("expires_in").asLong(0);
        Duration lifetime =
            seconds > DEFAULT_LIFETIME.getSeconds()
                ? Duration.ofSeconds(seconds)
                : DEFAULT_LIFETIME;
        return new Token(value, clock.instant().plus(lifetime).minus(EXPIRY_MARGIN), withheld);
      }
    } catch (IOException notJson) {
      LOG.debug("token service {} answered with a body that is not JSON", realm.getHost());
    }
    throw new RegistryContentException(
        "the token service "
            + realm.getHost()
            + " (for "
            + key.host()
            + ") answered without a token");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
