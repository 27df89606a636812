package dev.fanout.internal;

import com.google.cloud.tools.jib.api.ImageReference;

/** How Fanout writes image names for people. */
public final class Names {

  private Names() {}

  /**
   * A repository's full name, without tag: {@code registry/repository}.
   *
   * @param reference the reference
   * @return the name
   */
  public static String repository(ImageReference reference) {
    return reference.getRegistry() + "/" + reference.getRepository();
  }
}
