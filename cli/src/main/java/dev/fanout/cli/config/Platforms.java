package dev.fanout.cli.config;

import com.google.cloud.tools.jib.api.buildplan.Platform;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Platforms as a config file's {@code platforms} and {@code --platform} give them: {@code
 * os/architecture[/variant]}, such as {@code linux/arm64/v8}.
 */
public final class Platforms {

  /** The OCI image index's {@code os}, {@code architecture} and optional {@code variant}. */
  private static final Pattern PLATFORM = Pattern.compile("[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?");

  private Platforms() {}

  /**
   * What is wrong with a list of platforms.
   *
   * @param platforms the values given
   * @return a sentence naming the problem, or empty
   */
  public static Optional<String> problem(List<String> platforms) {
    for (String platform : platforms) {
      if (!PLATFORM.matcher(platform).matches()) {
        return Optional.of(
            "'" + platform + "' is not a platform: os/architecture[/variant], e.g. linux/arm64/v8");
      }
    }
    if (platforms.size() == 1 && platforms.get(0).chars().filter(c -> c == '/').count() == 2) {
      // A single image's manifest names no platform, so its variant would be silently lost.
      return Optional.of(
          "a variant needs an image index: give it beside another platform, or drop it");
    }
    return Optional.empty();
  }

  /**
   * The platforms for Jib, a variant written after the architecture ({@code arm64/v8}), which
   * Fanout's build moves into the index entry.
   *
   * @param platforms values {@link #problem(List)} accepts
   * @return the platforms, in order
   */
  static Set<Platform> forJib(List<String> platforms) {
    Set<Platform> forJib = new LinkedHashSet<>();
    for (String platform : platforms) {
      int slash = platform.indexOf('/');
      forJib.add(new Platform(platform.substring(slash + 1), platform.substring(0, slash)));
    }
    return forJib;
  }
}
