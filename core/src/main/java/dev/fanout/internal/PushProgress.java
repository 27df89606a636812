package dev.fanout.internal;

import dev.fanout.Progress;
import dev.fanout.internal.image.Blob;
import dev.fanout.internal.image.ImageInHand;
import dev.fanout.internal.image.ManifestBytes;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reports how far one target's push has come, from the bytes the transport reads out of the
 * image's blobs. A blob the registry already holds, or that it mounts, is settled at the end of the
 * push rather than byte by byte.
 */
final class PushProgress {

  /** Progress events at most this often per target, so a fast upload does not flood listeners. */
  private static final long REPORT_EVERY_NANOS = 200_000_000L;

  private final String target;
  private final RunEvents events;
  private final int blobsTotal;
  private final long bytesTotal;
  private final AtomicLong bytesDone = new AtomicLong();
  private final AtomicLong lastReported = new AtomicLong(System.nanoTime());

  private PushProgress(String target, RunEvents events, ImageInHand image) {
    this.target = target;
    this.events = events;
    this.blobsTotal = image.blobs().size();
    this.bytesTotal = image.blobs().values().stream().mapToLong(Blob::size).sum();
  }

  /**
   * The image as one target reads it: the same digests and bytes, with each blob's reads counted.
   *
   * @param image the run's image
   * @param target the target's name in run events
   * @param events where progress goes
   * @return the image to push to that target
   */
  static ImageInHand track(ImageInHand image, String target, RunEvents events) {
    PushProgress progress = new PushProgress(target, events, image);
    ImageInHand.Builder tracked = ImageInHand.withRoot(image.root());
    for (ManifestBytes manifest : image.manifests()) {
      if (!manifest.equals(image.root())) {
        tracked.child(manifest);
      }
    }
    for (Blob blob : image.blobs().values()) {
      tracked.blob(
          new Blob(blob.digest(), blob.size(), () -> progress.counting(blob.content().open())));
    }
    image.platforms().forEach(tracked::platform);
    image.origin().ifPresent(tracked::origin);
    return tracked.build();
  }

  private InputStream counting(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int read = super.read();
        if (read >= 0) {
          add(1);
        }
        return read;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        int read = super.read(buffer, offset, length);
        if (read > 0) {
          add(read);
        }
        return read;
      }
    };
  }

  private void add(long bytes) {
    long done = bytesDone.addAndGet(bytes);
    long now = System.nanoTime();
    long last = lastReported.get();
    if (now - last >= REPORT_EVERY_NANOS && lastReported.compareAndSet(last, now)) {
      long shown = Math.min(done, bytesTotal);
      events.progress(
          new Progress(
              target, bytesTotal == 0 ? 0 : (double) shown / bytesTotal, 0, blobsTotal, shown, bytesTotal));
    }
  }
}
