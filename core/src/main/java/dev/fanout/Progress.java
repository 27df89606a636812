package dev.fanout;

/**
 * How far the image build (from Jib's progress events) or one target's push (from the bytes
 * uploaded) has come.
 *
 * <p>Blobs are the image's layers and its configuration. A push reports the bytes it has sent; a
 * blob the registry already holds, or mounts, is not sent, so a push can end short of 100 %.
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
