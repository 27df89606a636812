package dev.fanout;

/**
 * How far the image build or one target's push has come, from Jib's progress events.
 *
 * <p>Blobs are the image's layers and its configuration. A blob the registry already holds counts
 * as done without being uploaded, so the bytes are those settled, not those sent. A retried push
 * starts again from zero.
 *
 * @param subject the target's name ({@link PlannedTarget#name()}), or {@link #BUILD}
 * @param fraction the share of the work done, from 0 to 1
 * @param blobsDone blobs settled
 * @param blobsTotal blobs the push has started on so far
 * @param bytesDone bytes of those blobs settled
 * @param bytesTotal bytes of those blobs
 */
public record Progress(
    String subject,
    double fraction,
    int blobsDone,
    int blobsTotal,
    long bytesDone,
    long bytesTotal) {

  /** The subject of the build's progress; a target's name never has parentheses. */
  public static final String BUILD = "(build)";

  /**
   * Whether this is the build's progress rather than a target's.
   *
   * @return true for the build
   */
  public boolean isBuild() {
    return subject.equals(BUILD);
  }

  /**
   * The fraction as a whole percentage, for displays.
   *
   * @return 0 to 100
   */
  public int percent() {
    return (int) Math.round(Math.max(0, Math.min(1, fraction)) * 100);
  }
}
