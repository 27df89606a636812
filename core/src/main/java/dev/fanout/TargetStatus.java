package dev.fanout;

/** How a target fared in a run. */
public enum TargetStatus {
  /** The image is in the registry under every tag asked for, with the run's digest. */
  PUSHED,
  /** The target did not take part: its condition did not hold. */
  SKIPPED,
  /** The target was attempted and did not get the image; the result says why. */
  FAILED
}
