package dev.fanout.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes the files a {@code docker-registry serve} instance needs into its private folder: {@code
 * config.yml}, the {@code data} storage root and, when auth is on, an {@code htpasswd} file or the
 * token signer's certificate.
 */
final class RegistryConfig {

  static final String HTPASSWD_INSTALL_HINT =
      "apt-get install -y apache2-utils"
          + " (Debian/Ubuntu package that provides htpasswd, needed for the registry's basic auth)";

  private RegistryConfig() {}

  /**
   * Writes the configuration and returns the path of {@code config.yml}.
   *
   * <p>Choices and why: {@code 127.0.0.1:0} lets the kernel pick a free port (the registry logs
   * which); a random {@code http.secret} silences the "No HTTP secret provided" warning; deletes
   * are enabled so tests can remove what they pushed; the access log is on so {@link
   * LocalRegistry#log()} shows every request; there is no blob descriptor cache, so a delete is
   * never answered from stale cache entries.
   */
  static Path write(Path folder, Optional<BasicAuth> auth, Optional<TokenAuth> tokenAuth)
      throws IOException {
    Path data = Files.createDirectory(folder.resolve("data"));
    StringBuilder yaml =
        new StringBuilder(
            """
            version: 0.1
            log:
              level: info
              formatter: text
              accesslog:
                disabled: false
            storage:
              filesystem:
                rootdirectory: %s
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:0
              secret: %s
              headers:
                X-Content-Type-Options: [nosniff]
            """
                .formatted(quoted(data), UUID.randomUUID()));
    if (auth.isPresent()) {
      Path htpasswd = writeHtpasswd(folder, auth.get());
      yaml.append(
          """
          auth:
            htpasswd:
              realm: fanout-testkit
              path: %s
          """
              .formatted(quoted(htpasswd)));
    }
    if (tokenAuth.isPresent()) {
      TokenAuth tokens = tokenAuth.get();
      Path bundle =
          Files.writeString(folder.resolve("token-root.pem"), tokens.rootCertificatePem());
      yaml.append(
          """
          auth:
            token:
              realm: %s
              service: %s
              issuer: %s
              rootcertbundle: %s
          """
              .formatted(tokens.realm(), tokens.service(), tokens.issuer(), quoted(bundle)));
    }
    return Files.writeString(folder.resolve("config.yml"), yaml);
  }

  /**
   * Creates a bcrypt htpasswd file (the only hash the registry accepts) with {@code htpasswd -niB}.
   * The password goes in on stdin rather than with {@code -b}, so it never shows up in a process
   * list.
   */
  private static Path writeHtpasswd(Path folder, BasicAuth credentials) throws IOException {
    ExternalCommand.Result result =
        ExternalCommand.run(
            List.of("htpasswd", "-niB", credentials.username()),
            credentials.password() + "\n",
            Duration.ofSeconds(30),
            HTPASSWD_INSTALL_HINT,
            "htpasswd -niB " + credentials.username());
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          "htpasswd failed with exit code " + result.exitCode() + ": " + result.stderr().strip());
    }
    return Files.writeString(folder.resolve("htpasswd"), result.stdout());
  }

  /** A YAML single-quoted scalar, so that any temp-folder path survives parsing unchanged. */
  private static String quoted(Path path) {
    return "'" + path.toAbsolutePath().toString().replace("'", "''") + "'";
  }
}
