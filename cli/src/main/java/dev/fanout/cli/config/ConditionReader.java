package dev.fanout.cli.config;

import dev.fanout.Condition;
import dev.fanout.Conditions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BinaryOperator;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads a target's {@code when}: the keys of one mapping must all hold (they are and-ed), and
 * {@code and}, {@code or} and {@code not} nest further mappings, as the Maven plugin's {@code
 * <when>} does.
 *
 * <pre>{@code
 * when:
 *   credentialPresent: [AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY]
 *   or:
 *     - branch: main
 *     - semverTag: true
 * }</pre>
 */
final class ConditionReader {

  static final Set<String> KEYS =
      new LinkedHashSet<>(
          List.of(
              "credentialPresent",
              "branch",
              "tag",
              "semverTag",
              "pullRequest",
              "and",
              "or",
              "not"));

  private ConditionReader() {}

  /**
   * The condition a {@code when} mapping states.
   *
   * @param node the mapping
   * @param path where it is
   * @param fields reads the values and records problems
   * @return the condition, or empty when the mapping has problems
   */
  static Optional<Condition> read(Node node, String path, YamlFields fields) {
    int before = fields.problems().count();
    Optional<YamlFields.Mapping> read = fields.mapping(node, path, KEYS);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    YamlFields.Mapping when = read.get();
    List<Condition> parts = new ArrayList<>();
    when.get("credentialPresent")
        .flatMap(value -> variables(value, when, fields))
        .ifPresent(parts::add);
    fields
        .text(when, "branch")
        .map(String::trim)
        .ifPresent(branch -> parts.add(Conditions.onBranch(branch)));
    flag(when, "tag", Conditions.onTag(), fields).ifPresent(parts::add);
    flag(when, "semverTag", Conditions.onSemverTag(), fields).ifPresent(parts::add);
    flag(when, "pullRequest", Conditions.onPullRequest(), fields).ifPresent(parts::add);
    nested(when, "and", Condition::and, fields).ifPresent(parts::add);
    nested(when, "or", Condition::or, fields).ifPresent(parts::add);
    when.get("not")
        .flatMap(value -> read(value, when.path("not"), fields))
        .ifPresent(condition -> parts.add(Conditions.not(condition)));
    if (when.entries().isEmpty() && fields.problems().count() == before) {
      fields
          .problems()
          .at(node, path, "states no condition; give one of: " + String.join(", ", KEYS));
    }
    if (fields.problems().count() > before || parts.isEmpty()) {
      return Optional.empty();
    }
    return parts.stream().reduce(Condition::and);
  }

  private static Optional<Condition> variables(
      Node value, YamlFields.Mapping when, YamlFields fields) {
    String path = when.path("credentialPresent");
    List<Node> items;
    if (value instanceof ScalarNode) {
      items = List.of(value);
    } else {
      Optional<List<Node>> list = fields.sequence(value, path);
      if (list.isEmpty()) {
        return Optional.empty();
      }
      items = list.get();
      if (items.isEmpty()) {
        fields.problems().at(value, path, "names no variable");
        return Optional.empty();
      }
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String itemPath = items.size() == 1 && items.get(0) == value ? path : path + "[" + i + "]";
      CredentialsReader.variableName(items.get(i), itemPath, fields).ifPresent(names::add);
    }
    return names.size() == items.size()
        ? Optional.of(Conditions.credentialPresent(names.toArray(String[]::new)))
        : Optional.empty();
  }

  /** {@code key: true} holds with the condition, {@code key: false} when it does not hold. */
  private static Optional<Condition> flag(
      YamlFields.Mapping when, String key, Condition condition, YamlFields fields) {
    return fields.flag(when, key).map(holds -> holds ? condition : Conditions.not(condition));
  }

  private static Optional<Condition> nested(
      YamlFields.Mapping when, String key, BinaryOperator<Condition> join, YamlFields fields) {
    Optional<Node> value = when.get(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    Optional<List<Node>> items = fields.sequence(value.get(), when.path(key));
    if (items.isEmpty()) {
      return Optional.empty();
    }
    if (items.get().isEmpty()) {
      fields.problems().at(value.get(), when.path(key), "holds no condition");
      return Optional.empty();
    }
    List<Condition> conditions = new ArrayList<>();
    for (int i = 0; i < items.get().size(); i++) {
      read(items.get().get(i), when.path(key) + "[" + i + "]", fields).ifPresent(conditions::add);
    }
    return conditions.size() == items.get().size()
        ? conditions.stream().reduce(join)
        : Optional.empty();
  }
}
