package dev.fanout.testkit;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;

/**
 * The faults a {@link FaultInjectingProxy} injects, and how many of each are left. Configured
 * before the proxy starts; afterwards every decision is made under this object's lock, in the order
 * requests arrive, so a seeded share gives the same answers to the same sequence of requests.
 */
final class FaultScript {

  private int connectionsToClose;
  private int manifestUploadsToFail;
  private Verdict.Answer manifestFailure;
  private int blobUploadsToDrop;
  private Verdict.Drop blobDrop;
  private double share;
  private Random random;
  private Verdict.Answer shareFailure;

  void closeConnections(int times) {
    connectionsToClose = times;
  }

  void failManifestUploads(int times, int status, Optional<Duration> retryAfter) {
    manifestUploadsToFail = times;
    manifestFailure =
        new Verdict.Answer(ProxyEvent.Action.FAILED_MANIFEST_UPLOAD, status, retryAfter);
  }

  void dropBlobUploads(int times, long afterBytes) {
    blobUploadsToDrop = times;
    blobDrop = new Verdict.Drop(afterBytes);
  }

  void failShareOfRequests(double share, long seed, int status, Optional<Duration> retryAfter) {
    this.share = share;
    this.random = new Random(seed);
    shareFailure =
        new Verdict.Answer(ProxyEvent.Action.FAILED_SHARE_OF_REQUESTS, status, retryAfter);
  }

  /**
   * Whether to close a newly accepted connection at once; counts it against {@link
   * #closeConnections}.
   */
  synchronized boolean closeNextConnection() {
    if (connectionsToClose == 0) {
      return false;
    }
    connectionsToClose--;
    return true;
  }

  /**
   * Decides what to do with a request. Manifest failures are checked first, then blob-upload drops,
   * then the seeded share; the random number is drawn only for requests that no earlier rule took.
   */
  synchronized Verdict decide(String method, String path, boolean hasBody) {
    if (manifestUploadsToFail > 0 && RegistryRoutes.isManifestUpload(method, path)) {
      manifestUploadsToFail--;
      return manifestFailure;
    }
    if (blobUploadsToDrop > 0 && hasBody && RegistryRoutes.isBlobUpload(method, path)) {
      blobUploadsToDrop--;
      return blobDrop;
    }
    if (random != null && random.nextDouble() < share) {
      return shareFailure;
    }
    return Verdict.FORWARD;
  }
}
