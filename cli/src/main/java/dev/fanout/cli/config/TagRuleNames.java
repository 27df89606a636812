package dev.fanout.cli.config;

import dev.fanout.TagRule;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The tag rules by the names a config file's {@code tagRules} and {@code --tag-rule} give them. */
public final class TagRuleNames {

  /** In the order messages list them. */
  private static final Map<String, TagRule> RULES = new LinkedHashMap<>();

  static {
    RULES.put("semver", TagRule.semver());
    RULES.put("sha", TagRule.sha());
    RULES.put("branch", TagRule.branch());
    RULES.put("pullRequest", TagRule.pullRequest());
  }

  private TagRuleNames() {}

  /**
   * A tag rule by its name.
   *
   * @param name {@code semver}, {@code sha}, {@code branch} or {@code pullRequest}
   * @return the rule, or empty for an unknown name
   */
  public static Optional<TagRule> rule(String name) {
    return Optional.ofNullable(RULES.get(name));
  }

  /**
   * The names, for messages.
   *
   * @return the names, comma-separated
   */
  public static String names() {
    return String.join(", ", RULES.keySet());
  }
}
