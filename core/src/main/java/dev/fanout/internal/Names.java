package dev.fanout.internal;

import com.google.cloud.tools.jib.api.ImageReference;

/** How Fanout writes image names for people. */
final class Names {

  /**
   * Jib rewrites {@code docker.io} to the host it talks to, {@code registry-1.docker.io}; people
   * know Docker Hub images as {@code docker.io/...}, so that is how plans and reports name them.
   */
  private static final String DOCKER_HUB_API_HOST = "registry-1.docker.io";

  private static final String DOCKER_HUB_NAME = "docker.io";

  private Names() {}

  /**
   * A repository's full name, without tag: {@code registry/repository}.
   *
   * @param reference the reference
   * @return the name
   */
  static String repository(ImageReference reference) {
    String registry = reference.getRegistry();
    return (registry.equals(DOCKER_HUB_API_HOST) ? DOCKER_HUB_NAME : registry)
        + "/"
        + reference.getRepository();
  }
}
