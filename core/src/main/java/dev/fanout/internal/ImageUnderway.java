package dev.fanout.internal;

import dev.fanout.internal.image.Blob;
import dev.fanout.internal.image.ImageInHand;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The run's one image while it is being built, as the targets' pushes see it: first the blobs the
 * build finished ahead of the image (each layer as soon as it is compressed), then the image, or
 * why there is none. A push uploads each early blob while the build compresses the next one, so
 * uploading overlaps compressing instead of following it.
 *
 * <p>A build that finishes no blob early (Jib's, or an image loaded from elsewhere) hands over the
 * whole image at once, and the pushes go as if they had started after it.
 */
final class ImageUnderway {

  private final List<Blob> early = new ArrayList<>();
  private ImageInHand image;
  private String failure;

  /**
   * Tells the pushes that a blob of the image is complete and will not change.
   *
   * @param blob the blob, its digest and size final, its content readable
   */
  synchronized void blobBuilt(Blob blob) {
    early.add(blob);
    notifyAll();
  }

  /**
   * Hands the pushes the finished image.
   *
   * @param built the image; it holds every blob told to {@link #blobBuilt} before
   */
  synchronized void built(ImageInHand built) {
    image = built;
    notifyAll();
  }

  /**
   * Tells the pushes that the build failed: there is no image to push.
   *
   * @param why the build's failure, as the report gives it
   */
  synchronized void failed(String why) {
    failure = why;
    notifyAll();
  }

  /**
   * Waits for the blob the build finishes after the first {@code seen}.
   *
   * @param seen how many early blobs the caller has taken
   * @return the next early blob, or empty once the build is over and every early blob was taken
   * @throws InterruptedException when interrupted while waiting
   */
  synchronized Optional<Blob> blobAfter(int seen) throws InterruptedException {
    while (early.size() <= seen && image == null && failure == null) {
      wait();
    }
    return seen < early.size() ? Optional.of(early.get(seen)) : Optional.empty();
  }

  /**
   * Waits for the image.
   *
   * @return the built image
   * @throws NotBuiltException when the build failed
   * @throws InterruptedException when interrupted while waiting
   */
  synchronized ImageInHand image() throws NotBuiltException, InterruptedException {
    while (image == null && failure == null) {
      wait();
    }
    if (image == null) {
      throw new NotBuiltException(failure);
    }
    return image;
  }

  /**
   * The built image's digest.
   *
   * @return the digest
   * @throws IllegalStateException before the image is built
   */
  synchronized String digest() {
    if (image == null) {
      throw new IllegalStateException("the image is not built");
    }
    return image.digest();
  }

  /** The build failed: a target has nothing to push. Its message is the build's failure. */
  static final class NotBuiltException extends Exception {

    private static final long serialVersionUID = 1L;

    NotBuiltException(String failure) {
      super(failure, null, false, false);
    }
  }
}
