package dev.fanout.internal.transport;

import dev.fanout.internal.transport.StubRegistry.Answer;
import dev.fanout.internal.transport.StubRegistry.Seen;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The happy path of a registry for {@link StubRegistry}: blobs known by repository and digest,
 * upload sessions with relative {@code Location}s carrying {@code _state}, mounts, monolithic PUTs,
 * manifests answered with their {@code Docker-Content-Digest}. Tests wrap it to add auth or faults.
 */
final class MiniRegistry implements StubRegistry.Script {

  private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/(sha256:[0-9a-f]{64})");
  private static final Pattern UPLOADS = Pattern.compile("/v2/(.+)/blobs/uploads/(.*)");
  private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");

  /** {@code repository digest} of every blob held. */
  final Set<String> blobs = ConcurrentHashMap.newKeySet();

  private final AtomicInteger sessions = new AtomicInteger();

  @Override
  public Answer answer(Seen request, List<Seen> before) {
    String path = request.path();
    if (request.method().equals("GET") && path.equals("/v2/")) {
      return new Answer(200, Map.of("Content-Type", "application/json"), "{}");
    }
    Matcher blob = BLOB.matcher(path);
    if (request.method().equals("HEAD") && blob.matches()) {
      return blobs.contains(blob.group(1) + " " + blob.group(2))
          ? Answer.of(200, Map.of("Docker-Content-Digest", blob.group(2)))
          : Answer.of(404);
    }
    Matcher uploads = UPLOADS.matcher(path);
    if (request.method().equals("POST") && uploads.matches() && uploads.group(2).isEmpty()) {
      String mount = parameter(request.target(), "mount");
      String from = parameter(request.target(), "from");
      if (mount != null && blobs.contains(from + " " + mount)) {
        blobs.add(uploads.group(1) + " " + mount);
        return Answer.of(201, Map.of("Location", "/v2/" + uploads.group(1) + "/blobs/" + mount));
      }
      int session = sessions.incrementAndGet();
      return Answer.of(
          202,
          Map.of(
              "Location",
              "/v2/" + uploads.group(1) + "/blobs/uploads/u" + session + "?_state=s" + session,
              "Range",
              "0-0"));
    }
    if (request.method().equals("PUT") && uploads.matches()) {
      String digest = parameter(request.target(), "digest");
      blobs.add(uploads.group(1) + " " + digest);
      return Answer.of(201, Map.of("Docker-Content-Digest", digest));
    }
    Matcher manifest = MANIFEST.matcher(path);
    if (request.method().equals("PUT") && manifest.matches()) {
      return Answer.of(201, Map.of("Docker-Content-Digest", "sha256:" + request.bodySha256()));
    }
    return new Answer(
        404,
        Map.of("Content-Type", "application/json"),
        "{\"errors\":[{\"code\":\"NOT_FOUND\",\"message\":\"no route\"}]}");
  }

  static String parameter(String target, String name) {
    int query = target.indexOf('?');
    if (query < 0) {
      return null;
    }
    for (String pair : target.substring(query + 1).split("&")) {
      if (pair.startsWith(name + "=")) {
        return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
