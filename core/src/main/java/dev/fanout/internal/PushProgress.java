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
 * push rather than byte by byte. Blobs uploaded while the image is still being built count from
 * the start; progress is reported once the image, and so the total, is known.
 */
final class PushProgress {

  /** Progress events at most this often per target, so a fast upload does not flood listeners. */
  private static final long REPORT_EVERY_NANOS = 200_000_000L;

  private final String target;
  private final RunEvents events;
  private final AtomicLong bytesDone = new AtomicLong();
  private final AtomicLong lastReported = new AtomicLong(System.nanoTime());
  private volatile int blobsTotal;
  private volatile long bytesTotal;

  /**
   * Progress of one target.
   *
   * @param target the target's name in run events
   * @param events where progress goes
   */
  PushProgress(String target, RunEvents events) {
    this.target = target;
    this.events = events;
  }

  /**
   * A blob as this target reads it: the same digest and bytes, its reads counted.
   *
   * @param blob a blob of the run's image
   * @return the blob to push to this target
   */
  Blob track(Blob blob) {
    return new Blob(blob.digest(), blob.size(), () -> counting(blob.content().open()));
  }

  /**
   * The image as this target reads it: the same digests and bytes, with each blob's reads counted.
   * From now on progress is reported against the image's total.
   *
   * @param image the run's image
   * @return the image to push to this target
   */
  ImageInHand track(ImageInHand image) {
    ImageInHand.Builder tracked = ImageInHand.withRoot(image.root());
    for (ManifestBytes manifest : image.manifests()) {
      if (!manifest.equals(image.root())) {
        tracked.child(manifest);
      }
    }
    image.blobs().values().stream().map(this::track).forEach(tracked::blob);
    image.platforms().forEach(tracked::platform);
    image.origin().ifPresent(tracked::origin);
    blobsTotal = image.blobs().size();
    bytesTotal = image.blobs().values().stream().mapToLong(Blob::size).sum();
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
    long total = bytesTotal;
    if (total > 0 && now - last >= REPORT_EVERY_NANOS && lastReported.compareAndSet(last, now)) {
      long shown = Math.min(done, total);
      events.progress(
          new Progress(target, (double) shown / total, 0, blobsTotal, shown, total));
    }
  }
}
