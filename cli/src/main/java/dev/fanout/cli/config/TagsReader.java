package dev.fanout.cli.config;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.fanout.TagRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads {@code tags} (literal tags) and {@code tagRules} (tags made from the run's git ref), which
 * the file gives for every target at the top and for one target inside it.
 */
final class TagsReader {

  private TagsReader() {}

  /**
   * The rules then the literal tags of a mapping, as the DSL takes them.
   *
   * @param mapping the mapping that may hold {@code tags} and {@code tagRules}
   * @param fields reads the values and records problems
   * @return the rules, at least one unless there are problems; empty when the mapping holds neither
   *     key
   */
  static Optional<List<TagRule>> read(YamlFields.Mapping mapping, YamlFields fields) {
    if (!mapping.has("tags") && !mapping.has("tagRules")) {
      return Optional.empty();
    }
    List<TagRule> rules = new ArrayList<>();
    each(
        mapping,
        "tagRules",
        fields,
        name -> TagRuleNames.rule(name).isPresent(),
        name -> TagRuleNames.rule(name).orElseThrow(),
        name ->
            "unknown tag rule '"
                + name
                + "'; expected one of: "
                + TagRuleNames.names()
                + " (literal tags go in tags)",
        rules);
    each(
        mapping,
        "tags",
        fields,
        ImageReference::isValidTag,
        TagRule::literal,
        tag ->
            "'"
                + tag
                + "' is not a valid tag: letters, digits, _, . and -, at most 128, not starting"
                + " with . or -",
        rules);
    return Optional.of(rules);
  }

  /**
   * Adds the rule that each valid text of the list under {@code key} stands for, and records a
   * problem for each other.
   */
  private static void each(
      YamlFields.Mapping mapping,
      String key,
      YamlFields fields,
      Predicate<String> valid,
      Function<String, TagRule> rule,
      UnaryOperator<String> problem,
      List<TagRule> rules) {
    Optional<Node> list = mapping.get(key);
    Optional<List<Node>> items = list.flatMap(node -> fields.sequence(node, mapping.path(key)));
    if (items.isPresent() && items.get().isEmpty()) {
      // An empty list names no tag; the DSL takes at least one rule, and the schema says so too.
      fields.problems().at(list.get(), mapping.path(key), "is empty: drop it, or give one");
    }
    for (int i = 0; i < items.map(List::size).orElse(0); i++) {
      Node item = items.get().get(i);
      String path = mapping.path(key) + "[" + i + "]";
      Optional<String> text = fields.text(item, path);
      if (text.isPresent() && valid.test(text.get())) {
        rules.add(rule.apply(text.get()));
      } else {
        text.ifPresent(invalid -> fields.problems().at(item, path, problem.apply(invalid)));
      }
    }
  }
}
