package dev.fanout.internal.transport;

import dev.fanout.internal.image.Blob;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The upload of one blob into one repository: a session opened with POST (or by a mount that fell
 * back to an upload), then one PUT with the whole blob, or PATCHes of chunks and a closing PUT when
 * the registry asks for chunks (registry-protocols.md §1.1).
 *
 * <p>Each request is one {@link RequestRunner} call. When the registry loses the session (404, 400
 * {@code BLOB_UPLOAD_INVALID}, 416, or the connection broke during a body, since the registry keeps
 * the partial data), the failing exchange throws and, when run again, opens a new session first and
 * starts the blob over.
 */
final class BlobUpload {

  /**
   * The chunk size when the registry refused the whole blob with 413 or asked for chunks smaller
   * than this: large enough to keep the number of requests low, small enough for common proxy body
   * limits above it.
   */
  static final long CHUNK_SIZE = 8L * 1024 * 1024;

  /** The registry's minimum chunk size (OCI distribution spec, chunked upload). */
  private static final String CHUNK_MIN_LENGTH = "oci-chunk-min-length";

  private static final Pattern RANGE = Pattern.compile("(?:bytes=)?0-([0-9]{1,18})");
  private static final Map<String, String> OCTET_STREAM =
      Map.of("Content-Type", "application/octet-stream");

  private final RegistryHttp http;
  private final RequestRunner runner;
  private final Blob blob;
  private final List<String> scopes;
  private final String uploadsPath;
  private final String subject;

  private URI location;
  private long chunkMinLength;
  private long offset;
  private boolean stale;

  /**
   * An upload.
   *
   * @param http the repository's sender
   * @param runner the retry hook
   * @param blob the blob
   * @param scopes the push scopes
   * @param uploadsPath {@code /v2/<repository>/blobs/uploads/}
   * @param subject how descriptions name the blob and repository, for example {@code blob
   *     sha256:abcd... on host/acme/app}
   */
  BlobUpload(
      RegistryHttp http,
      RequestRunner runner,
      Blob blob,
      List<String> scopes,
      String uploadsPath,
      String subject) {
    this.http = http;
    this.runner = runner;
    this.blob = blob;
    this.scopes = scopes;
    this.uploadsPath = uploadsPath;
    this.subject = subject;
  }

  /**
   * Uploads the blob.
   *
   * @param opened the session a mount opened instead of mounting (202), when there was one
   * @throws IOException the failure of a request, after the runner gave up on it
   * @throws InterruptedException when interrupted
   */
  void run(Optional<RegistryResponse> opened) throws IOException, InterruptedException {
    if (opened.isPresent()) {
      useSession(opened.get());
    } else {
      runner.run("POST upload of " + subject, this::start);
    }
    if (chunkMinLength > 0 && blob.size() > chunkMinLength) {
      chunked(Math.max(chunkMinLength, CHUNK_SIZE));
      return;
    }
    boolean tooLarge = runner.run("PUT " + subject, this::putWhole);
    if (tooLarge) {
      stale = true;
      chunked(Math.max(chunkMinLength, CHUNK_SIZE));
    }
  }

  /**
   * The URI that closes an upload: the session's location with {@code digest=} added, after {@code
   * &} when the location already has a query.
   *
   * @param location the latest {@code Location}
   * @param digest the blob's digest
   * @return the URI
   */
  static URI withDigest(URI location, String digest) {
    String separator = location.getRawQuery() == null ? "?" : "&";
    return URI.create(
        location + separator + "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8));
  }

  /**
   * Whether an answer to a request on the upload URL means the registry no longer has the session.
   *
   * @param response the answer
   * @return true for 404, 416, 400 {@code BLOB_UPLOAD_INVALID} or any {@code BLOB_UPLOAD_UNKNOWN}
   */
  static boolean sessionLost(RegistryResponse response) {
    List<String> codes = response.errorCodes();
    return response.status() == 404
        || response.status() == 416
        || (response.status() == 400 && codes.contains("BLOB_UPLOAD_INVALID"))
        || codes.contains("BLOB_UPLOAD_UNKNOWN");
  }

  private Void start() throws IOException, InterruptedException {
    RegistryResponse response =
        http.call(
            new OutgoingRequest("POST", http.uri(uploadsPath), Map.of(), RequestBody.EMPTY),
            scopes);
    if (response.status() != 202) {
      throw http.failure(response, false);
    }
    useSession(response);
    return null;
  }

  private void useSession(RegistryResponse response) throws RegistryResponseException {
    location = location(response);
    offset = 0;
    stale = false;
    chunkMinLength =
        response.header(CHUNK_MIN_LENGTH).map(BlobUpload::parseLength).orElse(chunkMinLength);
  }

  /** One PUT with the whole blob; true when the registry answered 413 and wants chunks. */
  private boolean putWhole() throws IOException, InterruptedException {
    if (stale) {
      start();
    }
    RequestBody whole = RequestBody.region(blob.content(), 0, blob.size());
    RegistryResponse response = send("PUT", withDigest(location, blob.digest()), whole, Map.of());
    if (response.status() == 413) {
      return true;
    }
    committed(response);
    return false;
  }

  private void chunked(long chunkSize) throws IOException, InterruptedException {
    boolean done = false;
    while (!done) {
      done = runner.run("PATCH or PUT chunk of " + subject, () -> nextChunk(chunkSize));
    }
  }

  /** Sends the next chunk: a PATCH, or the closing PUT carrying the last one. */
  private boolean nextChunk(long chunkSize) throws IOException, InterruptedException {
    if (stale) {
      start();
    }
    long remaining = blob.size() - offset;
    long length = Math.min(remaining, chunkSize);
    Map<String, String> range =
        length == 0 ? Map.of() : Map.of("Content-Range", offset + "-" + (offset + length - 1));
    RequestBody body = RequestBody.region(blob.content(), offset, length);
    if (remaining <= chunkSize) {
      committed(send("PUT", withDigest(location, blob.digest()), body, range));
      return true;
    }
    RegistryResponse response = send("PATCH", location, body, range);
    if (response.status() != 202) {
      throw http.failure(response, false);
    }
    location = location(response);
    offset = response.header("range").flatMap(this::rangeEnd).orElse(offset + length - 1) + 1;
    return false;
  }

  private RegistryResponse send(
      String method, URI uri, RequestBody body, Map<String, String> extraHeaders)
      throws IOException, InterruptedException {
    Map<String, String> headers = new HashMap<>(OCTET_STREAM);
    headers.putAll(extraHeaders);
    RegistryResponse response;
    try {
      response = http.call(new OutgoingRequest(method, uri, Map.copyOf(headers), body), scopes);
    } catch (RegistryResponseException | RegistryContentException refused) {
      throw refused;
    } catch (IOException broken) {
      // Distribution keeps the bytes that arrived before the break: the session cannot go on.
      stale = true;
      throw broken;
    }
    if (sessionLost(response)) {
      stale = true;
      throw http.failure(response, true);
    }
    return response;
  }

  private void committed(RegistryResponse response) throws IOException {
    if (response.status() != 201 && response.status() != 204) {
      throw http.failure(response, false);
    }
    Optional<String> stored = response.header("docker-content-digest");
    if (stored.isPresent() && !stored.get().equals(blob.digest())) {
      throw new RegistryContentException(
          http.host()
              + " stored blob "
              + blob.digest()
              + " under another digest, "
              + RegistryText.neutralise(stored.get(), http.secrets()));
    }
  }

  private URI location(RegistryResponse response) throws RegistryResponseException {
    return response
        .header("location")
        .flatMap(value -> HttpSender.resolve(response.uri(), value))
        .orElseThrow(() -> http.failure(response, false));
  }

  /** The last byte the registry holds, from its {@code Range: 0-<end>}; resumes from there. */
  private Optional<Long> rangeEnd(String value) {
    Matcher matcher = RANGE.matcher(value.trim());
    if (!matcher.matches()) {
      return Optional.empty();
    }
    return Optional.of(Math.min(Long.parseLong(matcher.group(1)), blob.size() - 1));
  }

  private static long parseLength(String value) {
    try {
      return Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException notANumber) {
      return 0;
    }
  }
}
