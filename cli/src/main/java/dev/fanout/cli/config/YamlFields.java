package dev.fanout.cli.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads values out of a composed YAML node tree, checking each one's kind and recording every
 * problem with its place instead of stopping at the first. A value with a problem reads as empty,
 * so the caller goes on to the next one.
 *
 * <p>Types are what SnakeYAML resolves: {@code 1.0} is a number, as an editor that checks the file
 * against the JSON schema sees it, so a text field refuses it and says to quote it rather than
 * guess. A boolean is {@code true} or {@code false} only: YAML 1.1 (SnakeYAML) also reads {@code
 * yes}, {@code on} and {@code y} as booleans, but YAML 1.2 (editors) reads them as text, so they
 * are refused rather than read two ways.
 */
final class YamlFields {

  /**
   * The most values one file may hold, counted as they are read. Aliases make a small file stand
   * for an exponentially large tree ("billion laughs"); this bounds the work whatever they do.
   */
  static final int MAX_VALUES = 10_000;

  /** The booleans YAML 1.1 and 1.2 agree on. */
  private static final Pattern BOOLEAN = Pattern.compile("true|True|TRUE|false|False|FALSE");

  private final YamlProblems problems;
  private int values;
  private boolean tooMany;

  /**
   * @param problems where every problem goes
   */
  YamlFields(YamlProblems problems) {
    this.problems = problems;
  }

  /**
   * The problems recorded so far.
   *
   * @return where they go
   */
  YamlProblems problems() {
    return problems;
  }

  /**
   * A mapping whose keys must be among {@code known}; every other key, and every key given twice,
   * is a problem.
   *
   * @param node the node
   * @param path where it is, for problems
   * @param known the keys it may hold, in the order a problem lists them
   * @return the mapping, or empty when the node is not one
   */
  Optional<Mapping> mapping(Node node, String path, Set<String> known) {
    if (!(node instanceof MappingNode mapping)) {
      problems.at(
          node, path, "expected a mapping of " + String.join(", ", known) + ", " + found(node));
      return Optional.empty();
    }
    if (!counted(mapping.getValue().size())) {
      return Optional.empty();
    }
    Map<String, NodeTuple> entries = new LinkedHashMap<>();
    for (NodeTuple entry : mapping.getValue()) {
      Node keyNode = entry.getKeyNode();
      if (!(keyNode instanceof ScalarNode key) || !key.getTag().equals(Tag.STR)) {
        problems.at(
            keyNode,
            path,
            keyNode.getTag().equals(Tag.MERGE)
                ? "merge keys (<<) are not supported: write the keys out"
                : "a key must be plain text, " + found(keyNode));
        continue;
      }
      String name = key.getValue();
      if (!known.contains(name)) {
        problems.at(
            key, path, "unknown key '" + name + "'; expected one of: " + String.join(", ", known));
      } else if (entries.containsKey(name)) {
        problems.at(key, path, "'" + name + "' is given twice");
      } else {
        entries.put(name, entry);
      }
    }
    return Optional.of(new Mapping(path, entries));
  }

  /**
   * A sequence's items.
   *
   * @param node the node
   * @param path where it is
   * @return the items, or empty when the node is not a sequence
   */
  Optional<List<Node>> sequence(Node node, String path) {
    if (!(node instanceof SequenceNode sequence)) {
      problems.at(node, path, "expected a list, " + found(node));
      return Optional.empty();
    }
    return counted(sequence.getValue().size())
        ? Optional.of(sequence.getValue())
        : Optional.empty();
  }

  /**
   * A text value: a string as YAML reads it, quoted or not.
   *
   * @param node the node
   * @param path where it is
   * @return the text, or empty when the node is something else or blank
   */
  Optional<String> text(Node node, String path) {
    if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.STR)) {
      if (scalar.getValue().isBlank()) {
        problems.at(node, path, "is empty");
        return Optional.empty();
      }
      return Optional.of(scalar.getValue());
    }
    problems.at(node, path, "expected text, " + found(node) + quoteHint(node));
    return Optional.empty();
  }

  /**
   * The text under a mapping's key.
   *
   * @param mapping the mapping
   * @param key the key
   * @return the text, or empty when the key is absent or its value is not text
   */
  Optional<String> text(Mapping mapping, String key) {
    return mapping.get(key).flatMap(value -> text(value, mapping.path(key)));
  }

  /**
   * The list of texts under a mapping's key.
   *
   * @param mapping the mapping
   * @param key the key
   * @return the texts, or empty when the key is absent or its value is not a list
   */
  Optional<List<String>> texts(Mapping mapping, String key) {
    return mapping.get(key).flatMap(value -> texts(value, mapping.path(key)));
  }

  /**
   * The boolean under a mapping's key.
   *
   * @param mapping the mapping
   * @param key the key
   * @return the value, or empty when the key is absent or its value is not a boolean
   */
  Optional<Boolean> flag(Mapping mapping, String key) {
    return mapping.get(key).flatMap(value -> flag(value, mapping.path(key)));
  }

  /**
   * A list of texts.
   *
   * @param node the node
   * @param path where it is
   * @return the texts that are valid, or empty when the node is not a list
   */
  Optional<List<String>> texts(Node node, String path) {
    return sequence(node, path)
        .map(
            items -> {
              List<String> texts = new ArrayList<>();
              for (int i = 0; i < items.size(); i++) {
                text(items.get(i), path + "[" + i + "]").ifPresent(texts::add);
              }
              return texts;
            });
  }

  /**
   * A boolean: {@code true} or {@code false}.
   *
   * @param node the node
   * @param path where it is
   * @return the value, or empty when the node is something else
   */
  Optional<Boolean> flag(Node node, String path) {
    if (node instanceof ScalarNode scalar
        && scalar.getTag().equals(Tag.BOOL)
        && BOOLEAN.matcher(scalar.getValue()).matches()) {
      return Optional.of(Boolean.valueOf(scalar.getValue().toLowerCase(Locale.ROOT)));
    }
    problems.at(node, path, "expected true or false, " + found(node));
    return Optional.empty();
  }

  /**
   * A whole number no less than {@code minimum}.
   *
   * @param node the node
   * @param path where it is
   * @param minimum the least value allowed
   * @return the value, or empty when the node is something else or too small
   */
  Optional<Integer> wholeNumber(Node node, String path, int minimum) {
    if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.INT)) {
      try {
        int value = Integer.parseInt(scalar.getValue().replace("_", ""));
        if (value >= minimum) {
          return Optional.of(value);
        }
      } catch (NumberFormatException e) {
        // Hex, octal or too large for an int: reported below like any other bad number.
      }
    }
    problems.at(node, path, "expected a whole number of at least " + minimum + ", " + found(node));
    return Optional.empty();
  }

  /**
   * A number between {@code minimum} and {@code maximum}, both included.
   *
   * @param node the node
   * @param path where it is
   * @param minimum the least value allowed
   * @param maximum the greatest value allowed
   * @return the value, or empty when the node is something else or out of range
   */
  Optional<Double> number(Node node, String path, double minimum, double maximum) {
    if (node instanceof ScalarNode scalar
        && (scalar.getTag().equals(Tag.INT) || scalar.getTag().equals(Tag.FLOAT))) {
      try {
        double value = Double.parseDouble(scalar.getValue().replace("_", ""));
        if (value >= minimum && value <= maximum) {
          return Optional.of(value);
        }
      } catch (NumberFormatException e) {
        // .inf, .nan and the like: reported below.
      }
    }
    String range =
        maximum == Double.MAX_VALUE
            ? "of at least " + minimum
            : "from " + minimum + " to " + maximum;
    problems.at(node, path, "expected a number " + range + ", " + found(node));
    return Optional.empty();
  }

  /**
   * Whether the document may hold {@code more} values; once it may not, one problem says so and
   * every later read is empty.
   */
  private boolean counted(int more) {
    values += more;
    if (values > MAX_VALUES) {
      if (!tooMany) {
        tooMany = true;
        problems.withFile(
            "holds more than " + MAX_VALUES + " values (counting what aliases repeat)");
      }
      return false;
    }
    return true;
  }

  /** Describes what a node is, for "expected X, found Y"; never its value when it is not text. */
  static String found(Node node) {
    if (node instanceof MappingNode) {
      return "found a mapping";
    }
    if (node instanceof SequenceNode) {
      return "found a list";
    }
    ScalarNode scalar = (ScalarNode) node;
    Tag tag = scalar.getTag();
    if (tag.equals(Tag.NULL)) {
      return "found nothing";
    }
    if (tag.equals(Tag.STR)) {
      return "found text";
    }
    if (tag.equals(Tag.BOOL)) {
      return "found the boolean " + scalar.getValue();
    }
    if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
      return "found the number " + scalar.getValue();
    }
    return "found a value tagged " + tag.getValue() + " (tags are not supported)";
  }

  private static String quoteHint(Node node) {
    if (node instanceof ScalarNode scalar
        && (scalar.getTag().equals(Tag.INT)
            || scalar.getTag().equals(Tag.FLOAT)
            || scalar.getTag().equals(Tag.BOOL))) {
      return "; quote it ('" + scalar.getValue() + "') to mean the text";
    }
    return "";
  }

  /**
   * A mapping's known entries.
   *
   * @param path where the mapping is
   * @param entries its entries by key, unknown and repeated keys left out
   */
  record Mapping(String path, Map<String, NodeTuple> entries) {

    /**
     * The value under a key.
     *
     * @param key the key
     * @return its value node, or empty when the key is absent
     */
    Optional<Node> get(String key) {
      return Optional.ofNullable(entries.get(key)).map(NodeTuple::getValueNode);
    }

    /**
     * Where a key's value is, for problems.
     *
     * @param key the key
     * @return such as {@code targets[0].when}
     */
    String path(String key) {
      return path.isEmpty() ? key : path + "." + key;
    }

    /**
     * Whether a key is present.
     *
     * @param key the key
     * @return true when it is
     */
    boolean has(String key) {
      return entries.containsKey(key);
    }

    /**
     * The node of a key, for problems about the key itself.
     *
     * @param key a key that is present
     * @return its key node
     */
    Node keyNode(String key) {
      return entries.get(key).getKeyNode();
    }
  }
}
