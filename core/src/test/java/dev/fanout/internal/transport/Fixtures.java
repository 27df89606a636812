package dev.fanout.internal.transport;

import dev.fanout.RegistryCredential;
import dev.fanout.internal.image.Blob;
import dev.fanout.internal.image.Digests;
import dev.fanout.internal.image.ImageInHand;
import dev.fanout.internal.image.ManifestBytes;
import dev.fanout.internal.image.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Images, credentials and a recording runner for the transport's unit tests. */
final class Fixtures {

  static final String USER = "ci";
  static final String SECRET = "p4ss-W0rd-never-shown";

  /** The {@code Authorization} value of {@link #USER} and {@link #SECRET}. */
  static final String BASIC =
      "Basic "
          + Base64.getEncoder()
              .encodeToString((USER + ":" + SECRET).getBytes(StandardCharsets.UTF_8));

  /** A Basic challenge, as a registry answers a request without a credential. */
  static final StubRegistry.Answer BASIC_CHALLENGE =
      new StubRegistry.Answer(
          401,
          Map.of("WWW-Authenticate", "Basic realm=\"registry\""),
          "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");

  private Fixtures() {}

  /**
   * A registry that serves only requests carrying {@link #BASIC} and challenges every other.
   *
   * @param registry what answers the requests with the credential
   * @return the script
   */
  static StubRegistry.Script basicAuth(MiniRegistry registry) {
    return (request, before) ->
        request.header("authorization").equals(Optional.of(BASIC))
            ? registry.answer(request, before)
            : BASIC_CHALLENGE;
  }

  static Optional<RegistryCredential> credential() {
    return Optional.of(RegistryCredential.of(USER, SECRET));
  }

  static Blob blob(byte[] bytes) {
    return new Blob(Digests.of(bytes), bytes.length, () -> new ByteArrayInputStream(bytes));
  }

  static Blob blob(String text) {
    return blob(text.getBytes(StandardCharsets.UTF_8));
  }

  /** An OCI manifest over the blobs; the stub does not read it, so its layout is free. */
  static ImageInHand image(Blob... blobs) {
    StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"layers\":[");
    for (Blob blob : blobs) {
      json.append("\"").append(blob.digest()).append("\",");
    }
    json.append("\"end\"]}");
    ImageInHand.Builder builder =
        ImageInHand.withRoot(
            ManifestBytes.of(
                MediaTypes.OCI_MANIFEST, json.toString().getBytes(StandardCharsets.UTF_8)));
    for (Blob blob : blobs) {
      builder.blob(blob);
    }
    return builder.build();
  }

  /** A runner that records each logical request and runs it up to a number of times. */
  static final class RecordingRunner implements RequestRunner {

    final List<String> whats = new CopyOnWriteArrayList<>();
    final List<IOException> failures = new CopyOnWriteArrayList<>();
    private final int attempts;

    RecordingRunner(int attempts) {
      this.attempts = attempts;
    }

    @Override
    public <T> T run(String what, Exchange<T> exchange) throws IOException, InterruptedException {
      whats.add(what);
      IOException last = null;
      for (int attempt = 0; attempt < attempts; attempt++) {
        try {
          return exchange.send();
        } catch (IOException e) {
          failures.add(e);
          last = e;
        }
      }
      throw last;
    }
  }
}
