package dev.fanout.maven;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites core's plan problems, which speak the Java DSL ({@code Target.to(...).backend("oci")}),
 * into what a POM author writes ({@code <backend>oci</backend>}, the plugin's dependencies).
 */
final class MavenWording {

  private static final Pattern PIN =
      Pattern.compile("Target\\.to\\(\\.\\.\\.\\)\\.backend\\(\"([^\"]*)\"\\)");
  private static final Pattern ADD_MODULE = Pattern.compile("add (dev\\.fanout:[a-z0-9-]+)");

  private MavenWording() {}

  /**
   * The problem in POM terms.
   *
   * @param problem a plan problem from core
   * @return the same problem, naming POM elements instead of DSL calls
   */
  static String of(String problem) {
    String pinned =
        PIN.matcher(problem)
            .replaceAll(
                m ->
                    Matcher.quoteReplacement(
                        "<backend>" + m.group(1) + "</backend> in the <target>"));
    if (!pinned.contains("not on the class path")) {
      return pinned;
    }
    return ADD_MODULE
        .matcher(pinned)
        .replaceAll(
            m ->
                Matcher.quoteReplacement(
                    "add " + m.group(1) + " to fanout-maven-plugin's <dependencies>"));
  }
}
