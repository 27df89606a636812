package dev.fanout.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * A one-layer image written as an OCI image layout, built byte by byte so the tests know every
 * digest before anything is pushed, and pushed with skopeo, a client that shares no code with the
 * checker.
 *
 * @param layout the OCI layout folder
 * @param tag the tag recorded in {@code index.json}
 * @param manifestDigest digest of the manifest bytes written
 * @param configDigest digest of the config blob
 * @param layerDigest digest of the gzipped layer blob
 */
record TinyOciImage(
    Path layout, String tag, String manifestDigest, String configDigest, String layerDigest) {

  private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
  private static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
  private static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

  /** Writes an image whose only file, {@code hello.txt}, holds {@code text}. */
  static TinyOciImage write(Path layout, String tag, String text) {
    try {
      Files.createDirectories(layout.resolve("blobs/sha256"));
      byte[] tar = tar("hello.txt", text.getBytes(StandardCharsets.UTF_8));
      byte[] layer = gzip(tar);
      byte[] config = utf8("""
          {"architecture":"amd64","os":"linux","config":{"Cmd":["/hello.txt"]},\
          "rootfs":{"type":"layers","diff_ids":["%s"]}}""", Digests.sha256(tar));
      byte[] manifest = utf8("""
          {"schemaVersion":2,"mediaType":"%s",\
          "config":{"mediaType":"%s","digest":"%s","size":%d},\
          "layers":[{"mediaType":"%s","digest":"%s","size":%d}]}""",
          MANIFEST_TYPE, CONFIG_TYPE, blob(layout, config), config.length,
          LAYER_TYPE, blob(layout, layer), layer.length);
      String manifestDigest = blob(layout, manifest);
      Files.write(layout.resolve("index.json"), utf8("""
          {"schemaVersion":2,"manifests":[{"mediaType":"%s","digest":"%s","size":%d,\
          "annotations":{"org.opencontainers.image.ref.name":"%s"}}]}""",
          MANIFEST_TYPE, manifestDigest, manifest.length, tag));
      Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
      return new TinyOciImage(
          layout, tag, manifestDigest, Digests.sha256(config), Digests.sha256(layer));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies the image to {@code target}, such as {@code 127.0.0.1:PORT/demo/app:1}, with skopeo. */
  void pushWithSkopeo(String target, Optional<BasicAuth> credentials) {
    List<String> command =
        new ArrayList<>(List.of("skopeo", "copy", "--quiet", "--dest-tls-verify=false"));
    credentials.ifPresentOrElse(
        c -> command.addAll(List.of("--dest-creds", c.username() + ":" + c.password())),
        () -> command.add("--dest-no-creds"));
    command.addAll(List.of("oci:" + layout + ":" + tag, "docker://" + target));
    ExternalCommand.Result result = ExternalCommand.run(command, "", Duration.ofSeconds(60),
        RegistryChecker.SKOPEO_INSTALL_HINT, "skopeo copy to " + target);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          "skopeo copy to " + target + " failed: " + result.stderr().strip());
    }
  }

  private static byte[] utf8(String template, Object... values) {
    return template.formatted(values).getBytes(StandardCharsets.UTF_8);
  }

  /** Stores {@code content} under blobs/sha256 and returns its digest. */
  private static String blob(Path layout, byte[] content) throws IOException {
    String digest = Digests.sha256(content);
    String hex = digest.substring("sha256:".length());
    Files.write(layout.resolve("blobs/sha256").resolve(hex), content);
    return digest;
  }

  /** A ustar archive with one regular file, mode 0644, owned by root, dated 1970. */
  private static byte[] tar(String name, byte[] content) {
    byte[] header = new byte[512];
    put(header, 0, name);
    put(header, 100, "0000644");
    put(header, 108, "0000000");
    put(header, 116, "0000000");
    put(header, 124, "%011o".formatted(content.length));
    put(header, 136, "00000000000");
    header[156] = '0';
    put(header, 257, "ustar");
    put(header, 263, "00");
    Arrays.fill(header, 148, 156, (byte) ' ');
    int checksum = 0;
    for (byte b : header) {
      checksum += b & 0xff;
    }
    put(header, 148, "%06o\0 ".formatted(checksum));
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    tar.writeBytes(header);
    tar.writeBytes(content);
    tar.writeBytes(new byte[(512 - content.length % 512) % 512]);
    tar.writeBytes(new byte[1024]);
    return tar.toByteArray();
  }

  private static void put(byte[] header, int offset, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }
}
