package dev.fanout.internal;

import java.util.List;

/** What the {@code docker load}-able tarball of a run can hold, checked while planning. */
final class TarballRules {

  private TarballRules() {}

  /**
   * Problems with the tarball the pipeline asked for.
   *
   * @param spec the pipeline
   * @return the problems; none when no tarball was asked for
   */
  static List<String> problems(PipelineSpec spec) {
    if (spec.tarball() == null || spec.image() == null) {
      return List.of();
    }
    if (spec.image().builder().isEmpty()) {
      return List.of(
          "tarball(...) writes the image Jib builds; "
              + spec.image()
              + " is pushed as it is, so copy it with skopeo or docker to get a tarball");
    }
    int platforms = spec.image().builder().get().toContainerBuildPlan().getPlatforms().size();
    if (platforms > 1) {
      return List.of(
          "tarball(...) holds one platform, and the image is built for "
              + platforms
              + ": drop the tarball or build one platform");
    }
    return List.of();
  }
}
