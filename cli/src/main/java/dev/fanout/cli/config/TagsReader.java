package dev.fanout.cli.config;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.fanout.TagRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code tags} (literal tags) and {@code tagRules} (tags made from the run's git ref), which
 * the file gives for every target at the top and for one target inside it.
 */
final class TagsReader {

  /** The rules by the name the file gives them, in the order problems list them. */
  static final Map<String, TagRule> RULES =
      Map.of(
          "semver", TagRule.semver(),
          "sha", TagRule.sha(),
          "branch", TagRule.branch(),
          "pullRequest", TagRule.pullRequest());

  private static final List<String> RULE_NAMES = List.of("semver", "sha", "branch", "pullRequest");

  private TagsReader() {}

  /**
   * The rules then the literal tags of a mapping, as the DSL takes them.
   *
   * @param mapping the mapping that may hold {@code tags} and {@code tagRules}
   * @param fields reads the values and records problems
   * @return the rules; empty when the mapping holds neither key
   */
  static Optional<List<TagRule>> read(YamlFields.Mapping mapping, YamlFields fields) {
    if (!mapping.has("tags") && !mapping.has("tagRules")) {
      return Optional.empty();
    }
    List<TagRule> rules = new ArrayList<>();
    mapping
        .get("tagRules")
        .flatMap(node -> fields.sequence(node, mapping.path("tagRules")))
        .ifPresent(
            items -> {
              for (int i = 0; i < items.size(); i++) {
                String path = mapping.path("tagRules") + "[" + i + "]";
                int index = i;
                fields
                    .text(items.get(i), path)
                    .ifPresent(
                        name -> {
                          if (RULES.containsKey(name)) {
                            rules.add(RULES.get(name));
                          } else {
                            fields
                                .problems()
                                .at(
                                    items.get(index),
                                    path,
                                    "unknown tag rule '"
                                        + name
                                        + "'; expected one of: "
                                        + String.join(", ", RULE_NAMES)
                                        + " (literal tags go in tags)");
                          }
                        });
              }
            });
    mapping
        .get("tags")
        .flatMap(node -> fields.sequence(node, mapping.path("tags")))
        .ifPresent(
            items -> {
              for (int i = 0; i < items.size(); i++) {
                String path = mapping.path("tags") + "[" + i + "]";
                int index = i;
                fields
                    .text(items.get(i), path)
                    .ifPresent(
                        tag -> {
                          if (ImageReference.isValidTag(tag)) {
                            rules.add(TagRule.literal(tag));
                          } else {
                            fields
                                .problems()
                                .at(
                                    items.get(index),
                                    path,
                                    "'"
                                        + tag
                                        + "' is not a valid tag: letters, digits, _, . and -, at"
                                        + " most 128, not starting with . or -");
                          }
                        });
              }
            });
    return Optional.of(rules);
  }
}
