package dev.fanout.maven;

import dev.fanout.TagRule;
import java.util.ArrayList;
import java.util.List;

/** Reads tags and tag rules as the POM and {@code -Dfanout.tags} give them. */
final class TagRules {

  private TagRules() {}

  /**
   * Tag rules followed by literal tags, in the order given.
   *
   * @param rules rule names: {@code semver}, {@code sha}, {@code branch}, {@code pullRequest}
   * @param tags literal tags; a blank entry is ignored (a trailing comma in {@code -Dfanout.tags})
   * @param where names the element in problems
   * @param problems receives unknown rule names
   * @return the rules; empty when neither was given
   */
  static List<TagRule> of(
      List<String> rules, List<String> tags, String where, List<String> problems) {
    List<TagRule> result = new ArrayList<>();
    for (String rule : rules == null ? List.<String>of() : rules) {
      String name = rule == null ? "" : rule.trim();
      switch (name) {
        case "" -> {}
        case "semver" -> result.add(TagRule.semver());
        case "sha" -> result.add(TagRule.sha());
        case "branch" -> result.add(TagRule.branch());
        case "pullRequest" -> result.add(TagRule.pullRequest());
        default ->
            problems.add(
                where
                    + ": tag rule '"
                    + name
                    + "' is not one of semver, sha, branch, pullRequest (literal tags go in"
                    + " <tags>)");
      }
    }
    for (String tag : tags == null ? List.<String>of() : tags) {
      if (tag != null && !tag.isBlank()) {
        result.add(TagRule.literal(tag.trim()));
      }
    }
    return result;
  }
}
