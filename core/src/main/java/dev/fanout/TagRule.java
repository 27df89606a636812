package dev.fanout;

import dev.fanout.internal.git.Semver;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A rule that gives the tags to push from the run's {@link GitRef}, as {@code
 * docker/metadata-action} does in GitHub Actions, but anywhere: per pipeline with {@code
 * PipelineBuilder.tags(TagRule, TagRule...)} or per target with {@code Target.tags(TagRule,
 * TagRule...)}.
 *
 * <pre>{@code
 * .push(Target.to("docker.io/acme/app").tags(TagRule.semver()))  // v1.2.3: 1.2.3, 1.2, 1, latest
 * .push(Target.to(ecr).tags(TagRule.sha(), TagRule.branch()))    // sha-1a2b3c4, main
 * }</pre>
 *
 * <p>A rule may give no tag for a ref ({@code semver()} on a branch). When all of a target's rules
 * give none, the target is skipped and the plan says why; it never falls back to {@code latest}.
 */
public final class TagRule {

  /**
   * How many characters of the commit id {@link #sha()} uses, as git's short ids and
   * metadata-action do.
   */
  public static final int SHA_LENGTH = 7;

  /**
   * What {@link #sha()} puts before the short commit id, so the tag cannot be read as a version.
   */
  public static final String SHA_PREFIX = "sha-";

  /** The longest tag a registry accepts (OCI distribution spec). */
  static final int MAX_TAG_LENGTH = 128;

  /** Runs of characters a tag cannot hold, replaced by one {@code -}. */
  private static final Pattern NOT_IN_TAG = Pattern.compile("[^A-Za-z0-9_.-]+");

  /** A tag cannot start with {@code .} or {@code -}. */
  private static final Pattern BAD_START = Pattern.compile("^[.-]+");

  private final String description;
  private final boolean readsGitRef;
  private final Function<GitRef, List<String>> tags;

  private TagRule(String description, boolean readsGitRef, Function<GitRef, List<String>> tags) {
    this.description = description;
    this.readsGitRef = readsGitRef;
    this.tags = tags;
  }

  /**
   * On a semantic-version tag, the release's tags: {@code v1.2.3} → {@code 1.2.3}, {@code 1.2},
   * {@code 1}, {@code latest}; {@code v0.4.1} → {@code 0.4.1}, {@code 0.4}, {@code latest} (no
   * {@code 0}); a pre-release {@code v1.2.3-rc.1} → only {@code 1.2.3-rc.1}; build metadata {@code
   * v1.2.3+7} → only {@code 1.2.3_7} (a tag cannot hold {@code +}). Nothing on any other ref.
   *
   * @return the rule
   */
  public static TagRule semver() {
    return new TagRule(
        "semver",
        true,
        ref ->
            ref.kind() == GitRef.Kind.TAG
                ? Semver.parse(ref.name()).map(Semver::releaseTags).orElse(List.of())
                : List.of());
  }

  /**
   * The commit: {@code sha-} and its first {@value #SHA_LENGTH} characters ({@code sha-1a2b3c4}),
   * on any ref whose commit is known.
   *
   * @return the rule
   */
  public static TagRule sha() {
    return new TagRule(
        "sha",
        true,
        ref ->
            ref.sha()
                .map(
                    sha ->
                        List.of(SHA_PREFIX + sha.substring(0, Math.min(SHA_LENGTH, sha.length()))))
                .orElse(List.of()));
  }

  /**
   * On a branch, its name made a valid tag: every run of characters a tag cannot hold becomes
   * {@code -} ({@code feature/login} → {@code feature-login}), a leading {@code .} or {@code -} is
   * dropped, and the tag is cut at 128 characters. Case is kept. Nothing on any other ref.
   *
   * @return the rule
   */
  public static TagRule branch() {
    return new TagRule(
        "branch",
        true,
        ref -> ref.kind() == GitRef.Kind.BRANCH ? sanitized(ref.name()) : List.of());
  }

  /**
   * On a pull request, {@code pr-} and its number ({@code pr-42}). Nothing on any other ref.
   *
   * @return the rule
   */
  public static TagRule pullRequest() {
    return new TagRule(
        "pull request",
        true,
        ref -> ref.kind() == GitRef.Kind.PULL_REQUEST ? sanitized("pr-" + ref.name()) : List.of());
  }

  /**
   * A fixed tag, on every ref. The plan reports an invalid one.
   *
   * @param tag the tag, for example {@code main} or {@code stable}
   * @return the rule
   */
  public static TagRule literal(String tag) {
    List<String> tags = List.of(Objects.requireNonNull(tag, "tag"));
    return new TagRule("'" + tag + "'", false, ref -> tags);
  }

  /**
   * The tags this rule gives for a ref.
   *
   * @param ref the run's ref
   * @return the tags, possibly none
   */
  public List<String> tagsFor(GitRef ref) {
    return tags.apply(Objects.requireNonNull(ref, "ref"));
  }

  /**
   * The tags several rules give, in order and without repeats. The ref is asked for only when a
   * rule depends on it, so a pipeline with only literal tags never reads git.
   *
   * @param rules the rules
   * @param ref the run's ref, asked for at most once
   * @return the tags, possibly none
   */
  public static List<String> tagsFor(List<TagRule> rules, Supplier<GitRef> ref) {
    Set<String> tags = new LinkedHashSet<>();
    GitRef known = null;
    for (TagRule rule : rules) {
      if (rule.readsGitRef && known == null) {
        known = Objects.requireNonNull(ref.get(), "ref");
      }
      tags.addAll(rule.tags.apply(known));
    }
    return List.copyOf(tags);
  }

  /** Names the rule for plans: "semver", "sha", "branch", "pull request" or the quoted tag. */
  @Override
  public String toString() {
    return description;
  }

  private static List<String> sanitized(String name) {
    String tag = BAD_START.matcher(NOT_IN_TAG.matcher(name).replaceAll("-")).replaceAll("");
    if (tag.length() > MAX_TAG_LENGTH) {
      tag = tag.substring(0, MAX_TAG_LENGTH);
    }
    return tag.isEmpty() ? List.of() : List.of(tag);
  }
}
