package dev.fanout.internal.transport;

import dev.fanout.internal.image.Blob;
import dev.fanout.internal.image.Digests;
import dev.fanout.internal.image.ImageInHand;
import dev.fanout.internal.image.ManifestBytes;
import dev.fanout.internal.image.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Pushes images to, and reads manifests and blobs from, one repository of one registry. Get one
 * from {@link RegistryTransport#repository}; use it from one thread at a time (a push uploads its
 * blobs on threads of its own).
 *
 * <p>Every logical request goes through the client's {@link RequestRunner} on its own, so the
 * engine retries a failed request and never a whole push.
 */
public final class RepositoryClient {

  /**
   * Blobs one push uploads at once. Uploads to a registry on a fast link are bound by its disk and
   * hashing, not by one connection, and an image's blobs differ much in size: a few at once let
   * the small ones pass while the large one streams. Docker's daemon uploads 5 layers at once by
   * default; the number of pushes per host stays bounded by the engine.
   */
  static final int PARALLEL_UPLOADS = 4;

  /** A tag, as the distribution spec allows it. */
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

  private final RepositoryEndpoint endpoint;
  private final RegistryHttp http;
  private final RequestRunner runner;
  private final KnownBlobs knownBlobs;
  private final List<String> pullScopes;
  private final List<String> pushScopes;

  RepositoryClient(
      RepositoryEndpoint endpoint, RegistryHttp http, RequestRunner runner, KnownBlobs knownBlobs) {
    this.endpoint = endpoint;
    this.http = http;
    this.runner = runner;
    this.knownBlobs = knownBlobs;
    this.pullScopes = List.of(scope(endpoint.repository(), "pull"));
    this.pushScopes = List.of(scope(endpoint.repository(), "pull,push"));
  }

  /**
   * The repository this client talks to.
   *
   * @return the endpoint
   */
  public RepositoryEndpoint endpoint() {
    return endpoint;
  }

  /**
   * Pushes an image: every blob the repository lacks (mounted from another repository of the same
   * host when one is known to hold it, uploaded otherwise), then every child manifest by digest,
   * then the root once per tag, each as its exact bytes.
   *
   * @param image the image
   * @param tags the tags to give the root; none pushes the root by digest only
   * @return the root's digest, which the registry confirmed where it said
   * @throws IllegalArgumentException when a tag is malformed, before any request
   * @throws IOException the failure of a request, after the runner gave up on it
   * @throws InterruptedException when interrupted
   */
  public String push(ImageInHand image, List<String> tags)
      throws IOException, InterruptedException {
    List<String> badTags = tags.stream().filter(tag -> !TAG.matcher(tag).matches()).toList();
    if (!badTags.isEmpty()) {
      throw new IllegalArgumentException(
          "not a valid tag (letters, digits, '_', '.', '-', at most 128, not starting with '.' or"
              + " '-'): "
              + String.join(", ", badTags));
    }
    List<Blob> missing = new ArrayList<>();
    for (Blob blob : image.blobs().values()) {
      if (!holds(blob.digest())) {
        missing.add(blob);
      }
    }
    uploadAll(missing, image.origin());
    ManifestBytes root = image.root();
    for (ManifestBytes manifest : image.manifests()) {
      if (!manifest.equals(root)) {
        putManifest(manifest, manifest.digest());
      }
    }
    List<String> references = tags.isEmpty() ? List.of(root.digest()) : tags;
    for (String reference : references) {
      putManifest(root, reference);
    }
    return root.digest();
  }

  /**
   * Settles authentication before there is a blob to check: asks for the API's root ({@code GET
   * /v2/}) with the push scopes, so that the registry's challenge is known, a token fetched and a
   * connection open by the time the build hands over its first layer (the first request of a run
   * took 60 to 300 ms on a busy 2-core machine, on the way of the first upload). Only a busy
   * registry fails it (429, 5xx: retried by the runner, which honours {@code Retry-After}, as for
   * any request). Any other answer, even a 401 that outlived the credential, is left to the blob
   * requests that follow, which report it as they always did: the root is optional in the
   * distribution spec, and a registry may treat it otherwise than its repositories.
   *
   * @throws IOException when the registry stays busy after the runner gave up, or cannot be reached
   * @throws InterruptedException when interrupted
   */
  public void authenticate() throws IOException, InterruptedException {
    runner.run(
        "GET /v2/ on " + endpoint,
        () -> {
          RegistryResponse response =
              http.call(OutgoingRequest.of("GET", http.uri("/v2/"), Map.of()), pushScopes);
          int status = response.status();
          if (status == 429 || status >= 500) {
            throw http.failure(response, false);
          }
          return null;
        });
  }

  /**
   * Pushes the blobs of an image that a build hands over one by one, ahead of the rest (each layer
   * as soon as it is compressed): each is checked as it comes, then mounted or uploaded as {@link
   * #push} would, its upload on a thread of its own while the next blob is awaited, up to {@link
   * #PARALLEL_UPLOADS} at once. Returns once every upload ended; a later {@link #push} of the image
   * knows these blobs are there and does not check again.
   *
   * @param blobs the blobs, as the build finishes them
   * @throws IOException the failure of a request, after the runner gave up on it; the uploads
   *     still running are cancelled
   * @throws InterruptedException when interrupted
   */
  public void pushBlobs(BlobSupply blobs) throws IOException, InterruptedException {
    try (Uploads uploads = new Uploads()) {
      for (Optional<Blob> blob = blobs.next(); blob.isPresent(); blob = blobs.next()) {
        if (!holds(blob.get().digest())) {
          mountOrPend(blob.get(), Optional.empty()).ifPresent(uploads::start);
        }
        uploads.throwFirstFailure();
      }
      uploads.awaitAll();
    }
  }

  /** The blobs of an image as a build finishes them, for {@link #pushBlobs}. */
  @FunctionalInterface
  public interface BlobSupply {

    /**
     * Waits for the next blob.
     *
     * @return the next blob, or empty when there are no more
     * @throws InterruptedException when interrupted while waiting
     */
    Optional<Blob> next() throws InterruptedException;
  }

  /**
   * Whether the repository holds a blob ({@code HEAD}).
   *
   * @param digest the blob's digest
   * @return true when the registry answers 200, false for 404
   * @throws IOException any other answer or a connection failure, after the runner gave up
   * @throws InterruptedException when interrupted
   */
  public boolean hasBlob(String digest) throws IOException, InterruptedException {
    Digests.requireValid(digest);
    return headBlob(digest, pullScopes);
  }

  /**
   * Reads a manifest or index exactly as the registry serves it.
   *
   * @param tagOrDigest a tag or a {@code sha256:} digest
   * @return the bytes and their media type (the response's {@code Content-Type})
   * @throws IllegalArgumentException when the reference is malformed, before any request
   * @throws RegistryContentException when the bytes do not match the digest asked for, or the
   *     registry's {@code Docker-Content-Digest}
   * @throws IOException any other failure, after the runner gave up
   * @throws InterruptedException when interrupted
   */
  public ManifestBytes fetchManifest(String tagOrDigest) throws IOException, InterruptedException {
    boolean byDigest = Digests.isValid(tagOrDigest);
    if (!byDigest && (tagOrDigest == null || !TAG.matcher(tagOrDigest).matches())) {
      throw new IllegalArgumentException("not a tag or a sha256 digest: " + tagOrDigest);
    }
    return runner.run(
        "GET manifest " + shortReference(tagOrDigest) + " on " + endpoint,
        () -> getManifest(tagOrDigest, byDigest));
  }

  /**
   * Downloads a blob into a file, following the registry's redirect to storage (without its {@code
   * Authorization}), hashing the bytes as they arrive.
   *
   * @param digest the blob's digest
   * @param size its size in bytes
   * @param into the file to write; replaced; deleted when the download fails
   * @throws RegistryContentException when the bytes do not match the digest or the size
   * @throws IOException any other failure, after the runner gave up
   * @throws InterruptedException when interrupted
   */
  public void fetchBlob(String digest, long size, Path into)
      throws IOException, InterruptedException {
    Digests.requireValid(digest);
    Objects.requireNonNull(into, "into");
    runner.run(
        "GET blob " + shortReference(digest) + " on " + endpoint,
        () -> {
          try {
            download(digest, size, into);
          } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(into);
            throw e;
          }
          return null;
        });
    knownBlobs.record(endpoint.host(), endpoint.repository(), digest);
  }

  @Override
  public String toString() {
    return "RepositoryClient[" + endpoint + "]";
  }

  /**
   * Whether the repository holds a blob already: known from this run, or found with a HEAD. The
   * checks run one after another, before any upload, so the first one settles authentication and
   * the uploads that follow start authenticated.
   */
  private boolean holds(String digest) throws IOException, InterruptedException {
    if (knownBlobs.holds(endpoint.host(), endpoint.repository(), digest)) {
      return true;
    }
    if (headBlob(digest, pushScopes)) {
      knownBlobs.record(endpoint.host(), endpoint.repository(), digest);
      return true;
    }
    return false;
  }

  /**
   * Mounts what can be mounted, then uploads the rest, up to {@link #PARALLEL_UPLOADS} at once, the
   * largest first so that the longest upload starts at once. The first failure cancels the others
   * and is thrown.
   */
  private void uploadAll(List<Blob> blobs, Optional<ImageInHand.BlobOrigin> origin)
      throws IOException, InterruptedException {
    List<Blob> largestFirst = new ArrayList<>(blobs);
    largestFirst.sort(Comparator.comparingLong(Blob::size).reversed());
    List<PendingUpload> pending = new ArrayList<>();
    for (Blob blob : largestFirst) {
      mountOrPend(blob, origin).ifPresent(pending::add);
    }
    try (Uploads uploads = new Uploads()) {
      pending.forEach(uploads::start);
      uploads.awaitAll();
    }
  }

  /**
   * Uploads under way, each on a thread of its own, at most {@link #PARALLEL_UPLOADS} at once (the
   * threads are made with the first upload). Closing cancels those still running.
   */
  private final class Uploads implements AutoCloseable {

    private final AtomicInteger threads = new AtomicInteger();
    private ExecutorService pool;
    private CompletionService<Void> done;
    private int running;

    void start(PendingUpload upload) {
      if (pool == null) {
        pool =
            Executors.newFixedThreadPool(
                PARALLEL_UPLOADS,
                task -> {
                  Thread thread = new Thread(task, "fanout-upload-" + threads.incrementAndGet());
                  thread.setDaemon(true);
                  return thread;
                });
        done = new ExecutorCompletionService<>(pool);
      }
      done.submit(
          () -> {
            upload(upload);
            return null;
          });
      running++;
    }

    /** Throws the failure of an upload that has ended, if one failed. */
    void throwFirstFailure() throws IOException, InterruptedException {
      for (Future<Void> ended = poll(); ended != null; ended = poll()) {
        running--;
        awaitUpload(ended);
      }
    }

    /** Waits for every upload to end; throws the first failure. */
    void awaitAll() throws IOException, InterruptedException {
      while (running > 0) {
        running--;
        awaitUpload(done.take());
      }
    }

    private Future<Void> poll() {
      return done == null ? null : done.poll();
    }

    @Override
    public void close() {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  /** Waits for a finished upload and throws what it threw, as it threw it. */
  private static void awaitUpload(Future<Void> upload) throws IOException, InterruptedException {
    try {
      upload.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException("a blob upload failed", cause);
    }
  }

  /**
   * Mounts a blob from another repository of the host when one is known to hold it. Mounts run one
   * after another, before the uploads: each is one request without a body, and a mount asks for a
   * token of its own scopes, which parallel mounts would each fetch.
   *
   * @return empty when the blob was mounted; otherwise the upload still to do, with the session
   *     the registry opened instead of mounting, when it did
   */
  private Optional<PendingUpload> mountOrPend(Blob blob, Optional<ImageInHand.BlobOrigin> origin)
      throws IOException, InterruptedException {
    String digest = blob.digest();
    String subject = "blob " + shortReference(digest) + " on " + endpoint;
    Optional<String> mountFrom =
        knownBlobs
            .otherHolder(endpoint.host(), endpoint.repository(), digest)
            .or(
                () ->
                    origin
                        .filter(o -> o.host().equalsIgnoreCase(endpoint.host()))
                        .map(ImageInHand.BlobOrigin::repository)
                        .filter(repository -> !repository.equals(endpoint.repository())));
    Optional<RegistryResponse> opened = Optional.empty();
    if (mountFrom.isPresent()) {
      RegistryResponse mount =
          runner.run(
              "POST mount of " + subject + " from " + mountFrom.get(),
              () -> mount(digest, mountFrom.get()));
      if (mount.status() == 201) {
        knownBlobs.record(endpoint.host(), endpoint.repository(), digest);
        return Optional.empty();
      }
      opened = Optional.of(mount).filter(response -> response.status() == 202);
    }
    return Optional.of(new PendingUpload(blob, subject, opened));
  }

  private void upload(PendingUpload pending) throws IOException, InterruptedException {
    new BlobUpload(http, runner, pending.blob(), pushScopes, uploadsPath(), pending.subject())
        .run(pending.opened());
    knownBlobs.record(endpoint.host(), endpoint.repository(), pending.blob().digest());
  }

  /**
   * A blob to upload.
   *
   * @param blob the blob
   * @param subject how descriptions name it
   * @param opened the session a refused mount opened, when it did
   */
  private record PendingUpload(Blob blob, String subject, Optional<RegistryResponse> opened) {}

  private boolean headBlob(String digest, List<String> scopes)
      throws IOException, InterruptedException {
    return runner.run(
        "HEAD blob " + shortReference(digest) + " on " + endpoint,
        () -> {
          RegistryResponse response =
              http.call(OutgoingRequest.of("HEAD", http.uri(blobPath(digest)), Map.of()), scopes);
          if (response.status() == 200) {
            return true;
          }
          if (response.status() == 404) {
            return false;
          }
          throw http.failure(response, false);
        });
  }

  /**
   * Asks the registry to mount a blob from another repository: 201 means mounted, 202 an upload
   * session opened instead. A refusal (401, 403, 404: the source is not readable with this
   * credential or is gone) also falls back to an upload.
   */
  private RegistryResponse mount(String digest, String from)
      throws IOException, InterruptedException {
    List<String> scopes = new ArrayList<>(pushScopes);
    scopes.add(scope(from, "pull"));
    String query = "?mount=" + encode(digest) + "&from=" + encode(from);
    RegistryResponse response =
        http.call(
            new OutgoingRequest(
                "POST", http.uri(uploadsPath() + query), Map.of(), RequestBody.EMPTY),
            List.copyOf(scopes));
    int status = response.status();
    if (status == 201 || status == 202 || status == 401 || status == 403 || status == 404) {
      return response;
    }
    throw http.failure(response, false);
  }

  private void putManifest(ManifestBytes manifest, String reference)
      throws IOException, InterruptedException {
    runner.runManifestUpload(
        "PUT manifest " + shortReference(reference) + " on " + endpoint,
        () -> {
          RegistryResponse response =
              http.call(
                  new OutgoingRequest(
                      "PUT",
                      http.uri(manifestPath(reference)),
                      Map.of("Content-Type", manifest.mediaType()),
                      RequestBody.bytes(manifest.bytes())),
                  pushScopes);
          if (response.status() < 200 || response.status() > 299) {
            throw http.failure(response, false);
          }
          Optional<String> stored = response.header("docker-content-digest");
          if (stored.isPresent() && !stored.get().equals(manifest.digest())) {
            throw new RegistryContentException(
                endpoint.host()
                    + " stored manifest "
                    + shortReference(reference)
                    + " of "
                    + endpoint.repository()
                    + " as "
                    + RegistryText.neutralise(stored.get(), http.secrets())
                    + ", not as the digest of the bytes sent, "
                    + manifest.digest());
          }
          return null;
        });
  }

  private ManifestBytes getManifest(String reference, boolean byDigest)
      throws IOException, InterruptedException {
    RegistryResponse response =
        http.call(
            OutgoingRequest.of(
                "GET",
                http.uri(manifestPath(reference)),
                Map.of("Accept", String.join(", ", MediaTypes.ACCEPTED))),
            pullScopes);
    if (response.status() != 200) {
      throw http.failure(response, false);
    }
    String where = "manifest " + shortReference(reference) + " of " + endpoint;
    if (response.body().length >= RegistryResponse.MAX_BODY) {
      throw new RegistryContentException(
          where + " is larger than " + RegistryResponse.MAX_BODY + " bytes");
    }
    String mediaType =
        response
            .header("content-type")
            .map(value -> value.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
            .filter(value -> !value.isEmpty())
            .orElseThrow(
                () -> new RegistryContentException(where + " was served without a Content-Type"));
    ManifestBytes manifest = ManifestBytes.of(mediaType, response.body());
    Optional<String> expected =
        byDigest ? Optional.of(reference) : response.header("docker-content-digest");
    if (expected.isPresent() && !expected.get().equals(manifest.digest())) {
      throw new RegistryContentException(
          where
              + " does not match its digest "
              + RegistryText.neutralise(expected.get(), http.secrets())
              + ": the bytes served hash to "
              + manifest.digest());
    }
    return manifest;
  }

  private void download(String digest, long size, Path into)
      throws IOException, InterruptedException {
    HttpResponse<InputStream> response =
        http.open(OutgoingRequest.of("GET", http.uri(blobPath(digest)), Map.of()), pullScopes);
    if (response.statusCode() != 200) {
      throw http.failure(HttpSender.read("GET", response), false);
    }
    MessageDigest hasher = Digests.sha256();
    long written = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = response.body();
        OutputStream out = Files.newOutputStream(into)) {
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        written += read;
        if (written > size) {
          break;
        }
        hasher.update(buffer, 0, read);
        out.write(buffer, 0, read);
      }
    }
    String where = "blob " + digest + " of " + endpoint;
    if (written != size) {
      throw new RegistryContentException(
          where
              + " was served with "
              + (written > size ? "more than " + size : written)
              + " bytes; expected "
              + size);
    }
    String served = Digests.format(hasher.digest());
    if (!served.equals(digest)) {
      throw new RegistryContentException(where + " was served as bytes that hash to " + served);
    }
  }

  private String blobPath(String digest) {
    return "/v2/" + endpoint.repository() + "/blobs/" + digest;
  }

  private String manifestPath(String reference) {
    return "/v2/" + endpoint.repository() + "/manifests/" + reference;
  }

  private String uploadsPath() {
    return "/v2/" + endpoint.repository() + "/blobs/uploads/";
  }

  private static String scope(String repository, String actions) {
    return "repository:" + repository + ":" + actions;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** A digest shortened for descriptions ({@code sha256:abcd1234...}); a tag as it is. */
  private static String shortReference(String reference) {
    return Digests.isValid(reference) ? reference.substring(0, 15) + "..." : reference;
  }
}
