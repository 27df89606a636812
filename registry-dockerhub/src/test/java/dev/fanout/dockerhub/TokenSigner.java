package dev.fanout.dockerhub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The test certificate of the token server and the RS256 signatures made with its key, as
 * registry-protocols.md §8 describes: a self-signed certificate made with {@code keytool}, sent in
 * every JWT's {@code x5c} header and given to the registry as its {@code rootcertbundle}.
 *
 * <p>One key pair serves the whole test JVM: {@code keytool} takes about 0.6 s.
 */
final class TokenSigner {

  private static final String STORE_PASSWORD = "fanout-test-store";
  private static final String ALIAS = "token";
  private static TokenSigner shared;

  private final PrivateKey key;
  private final X509Certificate certificate;

  private TokenSigner(PrivateKey key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
  }

  /** The signer of this JVM, created on first use. */
  static synchronized TokenSigner shared() throws IOException, InterruptedException {
    if (shared == null) {
      shared = create();
    }
    return shared;
  }

  private static TokenSigner create() throws IOException, InterruptedException {
    Path folder = Files.createTempDirectory("fanout-token-key-");
    Path store = folder.resolve("token.p12");
    Process keytool =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair",
                    "-alias", ALIAS,
                    "-keyalg", "RSA",
                    "-keysize", "2048",
                    "-sigalg", "SHA256withRSA",
                    "-dname", "CN=fanout test token server",
                    "-validity", "2",
                    "-storetype", "PKCS12",
                    "-keystore", store.toString(),
                    "-storepass", STORE_PASSWORD,
                    "-keypass", STORE_PASSWORD))
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IllegalStateException("keytool could not make the test certificate: " + output);
    }
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(in, STORE_PASSWORD.toCharArray());
      return new TokenSigner(
          (PrivateKey) keyStore.getKey(ALIAS, STORE_PASSWORD.toCharArray()),
          (X509Certificate) keyStore.getCertificate(ALIAS));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the test key store", e);
    } finally {
      Files.deleteIfExists(store);
      Files.deleteIfExists(folder);
    }
  }

  /** The certificate in PEM, for the registry's {@code rootcertbundle}. */
  String certificatePem() {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A signed JWT: {@code header.claims.signature}, each base64url without padding.
   *
   * @param claimsJson the claims object
   */
  String sign(String claimsJson) {
    try {
      String header =
          "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5c\":[\""
              + Base64.getEncoder().encodeToString(certificate.getEncoded())
              + "\"]}";
      String signingInput = base64Url(header) + "." + base64Url(claimsJson);
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput
          + "."
          + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign the test token", e);
    }
  }

  private static String base64Url(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
