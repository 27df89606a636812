package dev.fanout.internal.git;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version read from a git tag, as semver.org 2.0 writes it, with an optional leading
 * {@code v} ({@code v1.2.3}, {@code 1.2.3-rc.1}, {@code v2.0.0+build.7}).
 *
 * <p>The numbers are kept as the digits written: a tag is never compared or computed with, only
 * split into the tags a release gets.
 *
 * @param major the major version
 * @param minor the minor version
 * @param patch the patch version
 * @param prerelease the pre-release part after {@code -}, or empty
 * @param build the build metadata after {@code +}, or empty
 */
public record Semver(String major, String minor, String patch, String prerelease, String build) {

  /** semver.org's own regular expression, preceded by an optional {@code v}. */
  private static final Pattern SEMVER =
      Pattern.compile(
          "^[vV]?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
              + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)"
              + "(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
              + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");

  /**
   * The tag that every stable release also gets, as {@code docker/metadata-action} gives it to
   * semver tags. A pre-release never gets it.
   */
  public static final String LATEST = "latest";

  /**
   * Reads a version from a git tag name.
   *
   * @param tag the tag name, for example {@code v1.2.3}
   * @return the version, or empty when the tag is not a semantic version
   */
  public static Optional<Semver> parse(String tag) {
    Matcher matcher = SEMVER.matcher(tag);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new Semver(
            matcher.group(1),
            matcher.group(2),
            matcher.group(3),
            nullToEmpty(matcher.group(4)),
            nullToEmpty(matcher.group(5))));
  }

  /**
   * Whether this is a plain release: no pre-release part and no build metadata.
   *
   * @return true for {@code 1.2.3}, false for {@code 1.2.3-rc.1} and {@code 1.2.3+build.7}
   */
  public boolean stable() {
    return prerelease.isEmpty() && build.isEmpty();
  }

  /**
   * The full version as an image tag. A tag cannot hold {@code +}, so build metadata is joined with
   * {@code _}, as Helm does for charts stored in OCI registries.
   *
   * @return for example {@code 1.2.3}, {@code 1.2.3-rc.1} or {@code 1.2.3_build.7}
   */
  public String fullTag() {
    return major
        + "."
        + minor
        + "."
        + patch
        + (prerelease.isEmpty() ? "" : "-" + prerelease)
        + (build.isEmpty() ? "" : "_" + build);
  }

  /**
   * The tags a release of this version gets: {@code 1.2.3}, {@code 1.2}, {@code 1} and {@code
   * latest}. A {@code 0.x} version gets no major-only tag, since {@code 0} promises no
   * compatibility. A pre-release, or a version with build metadata, gets only its full version: the
   * shorter tags and {@code latest} name the newest plain release.
   *
   * @return the tags, most specific first
   */
  public List<String> releaseTags() {
    List<String> tags = new ArrayList<>();
    tags.add(fullTag());
    if (stable()) {
      tags.add(major + "." + minor);
      if (!major.equals("0")) {
        tags.add(major);
      }
      tags.add(LATEST);
    }
    return List.copyOf(tags);
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
