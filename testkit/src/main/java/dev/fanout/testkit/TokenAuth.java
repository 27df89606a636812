package dev.fanout.testkit;

import java.util.Objects;

/**
 * Bearer-token auth for a {@link LocalRegistry}, as Docker Hub runs it: the registry answers {@code
 * 401} with a challenge naming {@code realm} and {@code service}, and accepts the JWTs that {@code
 * issuer} signs with the key of {@code rootCertificatePem}. A test supplies the token server (see
 * {@code registry-dockerhub}'s tests for one).
 *
 * @param realm the token endpoint's URL, for example {@code http://127.0.0.1:PORT/token}
 * @param service the service the tokens are for, for example {@code registry.docker.io}
 * @param issuer the {@code iss} the registry requires in every token
 * @param rootCertificatePem the PEM certificate whose key signs the tokens
 */
public record TokenAuth(String realm, String service, String issuer, String rootCertificatePem) {

  /**
   * Checks that nothing is missing.
   *
   * @param realm the token endpoint's URL, for example {@code http://127.0.0.1:PORT/token}
   * @param service the service the tokens are for, for example {@code registry.docker.io}
   * @param issuer the {@code iss} the registry requires in every token
   * @param rootCertificatePem the PEM certificate whose key signs the tokens
   * @throws NullPointerException when a value is null
   */
  public TokenAuth {
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(rootCertificatePem, "rootCertificatePem");
  }
}
