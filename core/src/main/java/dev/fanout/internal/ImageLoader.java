package dev.fanout.internal;

import dev.fanout.internal.image.ImageInHand;

/**
 * Brings an image that Jib does not build into hand: read from an OCI layout or a {@code docker
 * save} archive, or copied from a registry. Each {@link dev.fanout.ImageSource} that is not a Jib
 * builder has one.
 */
@FunctionalInterface
public interface ImageLoader {

  /**
   * Loads the image, once per run.
   *
   * @param load what the run offers: its folder, its transport, its environment
   * @return the image
   * @throws Exception when it cannot be loaded; the message must hold no secret
   */
  ImageInHand load(ImageLoad load) throws Exception;
}
