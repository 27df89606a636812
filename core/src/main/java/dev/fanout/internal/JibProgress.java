package dev.fanout.internal;

import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.progress.Allocation;
import dev.fanout.Progress;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Adds up Jib's progress events for one containerization into {@link Progress} for listeners.
 *
 * <p>Jib divides its work into a tree of allocations, each with a share of the whole ({@link
 * Allocation#getFractionOfRoot()}) and a number of units; an event reports units done in one
 * allocation. The share done is the sum of units × share ÷ units allocated, as Jib's own {@code
 * ProgressEventHandler} computes it.
 */
final class JibProgress implements Consumer<ProgressEvent> {

  /**
   * How Jib names the allocation of one blob upload, whose units are the blob's bytes ({@code
   * PushBlobStep}: "pushing blob " + digest).
   */
  static final String BLOB_ALLOCATION = "pushing blob ";

  private final String subject;
  private final RunEvents events;
  private final Map<Allocation, Long> blobs = new HashMap<>();
  private double fraction;

  JibProgress(String subject, RunEvents events) {
    this.subject = subject;
    this.events = events;
  }

  @Override
  public void accept(ProgressEvent event) {
    Progress progress;
    synchronized (this) {
      Allocation allocation = event.getAllocation();
      long units = event.getUnits();
      if (allocation.getAllocationUnits() > 0) {
        fraction += units * allocation.getFractionOfRoot() / allocation.getAllocationUnits();
      }
      if (allocation.getDescription().startsWith(BLOB_ALLOCATION)) {
        blobs.merge(allocation, units, Long::sum);
      }
      progress = snapshot();
    }
    events.progress(progress);
  }

  private Progress snapshot() {
    int done = 0;
    long bytesDone = 0;
    long bytesTotal = 0;
    for (Map.Entry<Allocation, Long> blob : blobs.entrySet()) {
      long size = blob.getKey().getAllocationUnits();
      long settled = Math.min(size, blob.getValue());
      if (settled >= size) {
        done++;
      }
      bytesDone += settled;
      bytesTotal += size;
    }
    return new Progress(subject, Math.min(1, fraction), done, blobs.size(), bytesDone, bytesTotal);
  }
}
