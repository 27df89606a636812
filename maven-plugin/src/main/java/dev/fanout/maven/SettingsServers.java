package dev.fanout.maven;

import dev.fanout.CredentialSource;
import java.util.List;
import java.util.Optional;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * The {@code <server>} entries of the build's {@code settings.xml}, with their passwords decrypted
 * the Maven way ({@code settings-security.xml}) when they are used.
 */
final class SettingsServers {

  private final Settings settings;
  private final SettingsDecrypter decrypter;

  SettingsServers(Settings settings, SettingsDecrypter decrypter) {
    this.settings = settings;
    this.decrypter = decrypter;
  }

  /**
   * Whether {@code settings.xml} has a server with this id.
   *
   * @param id the server's id
   * @return true when there is one
   */
  boolean has(String id) {
    return settings != null && settings.getServer(id) != null;
  }

  /**
   * The credential of a server, decrypted. Problems never contain the password, encrypted or not.
   *
   * @param id the server's id
   * @param where names the POM element that asked, for problems
   * @param problems receives why the server cannot be used
   * @return the credential, or empty when there is a problem
   */
  Optional<CredentialSource> credential(String id, String where, List<String> problems) {
    Server server = settings == null ? null : settings.getServer(id);
    if (server == null) {
      problems.add(where + ": settings.xml has no <server> with id '" + id + "'");
      return Optional.empty();
    }
    SettingsDecryptionResult result =
        decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
    List<SettingsProblem> failures =
        result.getProblems().stream()
            .filter(p -> p.getSeverity() != SettingsProblem.Severity.WARNING)
            .toList();
    if (!failures.isEmpty() || result.getServer() == null) {
      // The decrypter's own messages may quote the encrypted value; say only what to check.
      problems.add(
          where
              + ": the password of settings.xml server '"
              + id
              + "' could not be decrypted; check settings-security.xml (mvn --encrypt-password)");
      return Optional.empty();
    }
    Server decrypted = result.getServer();
    if (isBlank(decrypted.getUsername()) || isBlank(decrypted.getPassword())) {
      problems.add(
          where + ": settings.xml server '" + id + "' needs both <username> and <password>");
      return Optional.empty();
    }
    return Optional.of(CredentialSource.of(decrypted.getUsername(), decrypted.getPassword()));
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
