package dev.fanout.internal.transport;

import dev.fanout.RegistryCredential;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends the requests of one repository client with the right {@code Authorization}: none until the
 * registry challenges, then Basic on every request, or a Bearer token for the request's scopes
 * (cached for the run), refreshed once when the registry answers 401 and never more.
 */
final class RegistryHttp {

  private final RepositoryEndpoint endpoint;
  private final Optional<RegistryCredential> credential;
  private final HttpSender sender;
  private final BearerTokens tokens;
  private final Map<String, AuthChallenge> challengesByHost;
  private final String origin;
  private volatile boolean credentialWithheld;
  private volatile String lastToken = "";

  /** The header sent, and the token it carries when it is a Bearer one. */
  private record Auth(Optional<String> header, Optional<BearerTokens.Token> token) {
    static final Auth NONE = new Auth(Optional.empty(), Optional.empty());
  }

  RegistryHttp(
      RepositoryEndpoint endpoint,
      Optional<RegistryCredential> credential,
      HttpSender sender,
      BearerTokens tokens,
      Map<String, AuthChallenge> challengesByHost) {
    this.endpoint = endpoint;
    this.credential = credential;
    this.sender = sender;
    this.tokens = tokens;
    this.challengesByHost = challengesByHost;
    this.origin = HttpSender.origin(URI.create(endpoint.baseUrl()));
  }

  /**
   * The registry host.
   *
   * @return the host and port, as the endpoint names it
   */
  String host() {
    return endpoint.host();
  }

  /**
   * A URI on the registry.
   *
   * @param pathAndQuery for example {@code /v2/acme/app/blobs/sha256:...}
   * @return the absolute URI
   */
  URI uri(String pathAndQuery) {
    return URI.create(endpoint.baseUrl() + pathAndQuery);
  }

  /**
   * Sends a request with auth, following redirects and answering one challenge. A request to
   * another scheme, host or port than the registry's (an upload {@code Location} pointing to
   * storage) goes without {@code Authorization}, and a 401 from there is not a challenge to answer.
   *
   * @param request the request
   * @param scopes the token scopes it needs, for a Bearer registry
   * @return the last response; a remaining 401 is returned, not thrown; the caller reads or closes
   *     its body
   * @throws IOException a connection failure, or a token service that refuses
   * @throws InterruptedException when interrupted
   */
  HttpResponse<InputStream> open(OutgoingRequest request, List<String> scopes)
      throws IOException, InterruptedException {
    if (!HttpSender.origin(request.uri()).equals(origin)) {
      // An upload Location on another host (storage): the registry's credential stays home.
      return sender.send(request, Optional.empty());
    }
    Auth sent = authorization(scopes);
    HttpResponse<InputStream> response = sender.send(request, sent.header());
    if (response.statusCode() != 401 || !HttpSender.origin(response.uri()).equals(origin)) {
      return response;
    }
    Optional<AuthChallenge> challenge =
        AuthChallenge.firstSupported(response.headers().allValues("www-authenticate"));
    if (challenge.isEmpty()) {
      return response;
    }
    challengesByHost.put(endpoint.host(), challenge.get());
    sent.token().ifPresent(token -> tokens.forget(key(scopes), token));
    Auth fresh = authorization(scopes);
    boolean nothingNew =
        fresh.header().isEmpty()
            || (sent.token().isEmpty() && fresh.header().equals(sent.header()));
    if (nothingNew) {
      return response;
    }
    response.body().close();
    return sender.send(request, fresh.header());
  }

  /**
   * Sends a request as {@link #open} does and reads the answer.
   *
   * @param request the request
   * @param scopes the token scopes it needs
   * @return the answer with its body
   * @throws IOException a connection failure, or a token service that refuses
   * @throws InterruptedException when interrupted
   */
  RegistryResponse call(OutgoingRequest request, List<String> scopes)
      throws IOException, InterruptedException {
    return HttpSender.read(request.method(), open(request, scopes));
  }

  /**
   * The exception for an answer the caller cannot use, with a one-line message: a 401 names the
   * host and the user, never the secret; every piece of registry text is neutralised.
   *
   * @param response the answer
   * @param uploadSessionLost whether the answer means the upload session is gone
   * @return the exception
   */
  RegistryResponseException failure(RegistryResponse response, boolean uploadSessionLost) {
    String codes = codes(response);
    String message;
    if (response.status() == 401) {
      // A HEAD's 401 has no body, so no code: the status's own name says the same.
      message = refusal(response.errorCodes().isEmpty() ? "401 Unauthorized" : codes);
    } else {
      String text = RegistryText.neutralise(response.registryText(), secrets());
      message =
          endpoint.host()
              + " answered "
              + codes
              + " to "
              + response.method()
              + " "
              + RegistryText.neutralise(response.uri().getRawPath(), secrets())
              + (text.isEmpty() ? "" : ": " + text);
    }
    return new RegistryResponseException(message, response, uploadSessionLost);
  }

  /**
   * Values that must never appear in a message: the secret, its Basic form, the last token.
   *
   * @return the values
   */
  List<String> secrets() {
    List<String> secrets = new ArrayList<>();
    credential.ifPresent(
        value -> {
          secrets.add(value.secret());
          secrets.add(BearerTokens.basic(value).substring("Basic ".length()));
        });
    secrets.add(lastToken);
    return secrets;
  }

  private String refusal(String codes) {
    if (credential.isEmpty()) {
      return endpoint.host() + " refused anonymous access (" + codes + "); it needs a credential";
    }
    String user = "user '" + credential.get().username() + "'";
    if (credentialWithheld) {
      return endpoint.host()
          + " refused anonymous access ("
          + codes
          + "): the credential of "
          + user
          + " was not sent to its token service, which is plain HTTP and not this machine";
    }
    return endpoint.host() + " refused the credential of " + user + " (" + codes + ")";
  }

  private String codes(RegistryResponse response) {
    StringBuilder codes = new StringBuilder().append(response.status());
    response.errorCodes().forEach(code -> codes.append(' ').append(code));
    return RegistryText.neutralise(codes.toString(), secrets());
  }

  private Auth authorization(List<String> scopes) throws IOException, InterruptedException {
    AuthChallenge challenge = challengesByHost.get(endpoint.host());
    if (challenge == null) {
      return Auth.NONE;
    }
    if (challenge.scheme().equals(AuthChallenge.BASIC)) {
      return credential
          .map(value -> new Auth(Optional.of(BearerTokens.basic(value)), Optional.empty()))
          .orElse(Auth.NONE);
    }
    BearerTokens.Key key = key(scopes);
    Optional<BearerTokens.Token> cached = tokens.cached(key);
    BearerTokens.Token token = cached.isPresent() ? cached.get() : tokens.fetch(key, challenge);
    credentialWithheld = token.credentialWithheld();
    lastToken = token.value();
    return new Auth(Optional.of("Bearer " + token.value()), Optional.of(token));
  }

  private BearerTokens.Key key(List<String> scopes) {
    return new BearerTokens.Key(endpoint.host(), scopes, credential);
  }
}
