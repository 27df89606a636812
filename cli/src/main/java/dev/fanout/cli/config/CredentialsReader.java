package dev.fanout.cli.config;

import dev.fanout.CredentialSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads {@code credentials: {username: VARIABLE, password: VARIABLE}}: the names of the environment
 * variables that hold a credential, never the credential itself, so the file can be committed.
 */
final class CredentialsReader {

  static final Set<String> KEYS = new LinkedHashSet<>(List.of("username", "password"));

  /**
   * What an environment variable's name may be (POSIX, as every CI system accepts). Anything else
   * is most likely a value pasted where its variable's name belongs, so problems never repeat it.
   */
  static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private CredentialsReader() {}

  /**
   * The credential source a {@code credentials} mapping names.
   *
   * @param node the mapping
   * @param path where it is
   * @param fields reads the values and records problems
   * @return the source, or empty when the mapping has problems
   */
  static Optional<CredentialSource> read(Node node, String path, YamlFields fields) {
    Optional<YamlFields.Mapping> mapping = fields.mapping(node, path, KEYS);
    if (mapping.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> username = variable(mapping.get(), "username", node, fields);
    Optional<String> password = variable(mapping.get(), "password", node, fields);
    if (username.isEmpty() || password.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(CredentialSource.fromEnvironment(username.get(), password.get()));
  }

  /**
   * An environment variable's name.
   *
   * @param node the node holding it
   * @param path where it is
   * @param fields reads it and records problems
   * @return the name, or empty when it is not one
   */
  static Optional<String> variableName(Node node, String path, YamlFields fields) {
    Optional<String> name = fields.text(node, path);
    if (name.isPresent() && !VARIABLE.matcher(name.get()).matches()) {
      fields
          .problems()
          .at(
              node,
              path,
              "is not an environment variable's name (letters, digits and _, not starting with a"
                  + " digit); the file names the variables that hold credentials, never their"
                  + " values");
      return Optional.empty();
    }
    return name;
  }

  private static Optional<String> variable(
      YamlFields.Mapping mapping, String key, Node node, YamlFields fields) {
    Optional<Node> value = mapping.get(key);
    if (value.isEmpty()) {
      fields
          .problems()
          .at(node, mapping.path(), "names no " + key + " variable; give username and password");
      return Optional.empty();
    }
    return variableName(value.get(), mapping.path(key), fields);
  }
}
