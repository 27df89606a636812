package dev.fanout.internal.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.internal.image.Descriptor.Platform;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("DescriptorReader")
class DescriptorReaderTest {

  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName(
      "reads an index's entries with platform, variant, os.version, annotations and artifactType, ignoring unknown fields")
  void readsIndexEntries() {
    List<Descriptor> entries =
        DescriptorReader.index(
            utf8(
                """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","x-new":[1],
         "manifests":[
          {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":12,
           "platform":{"os":"linux","architecture":"arm64","variant":"v8","os.version":"6.1",
                       "os.features":["x"]},
           "annotations":{"z":"1","a":"Zürich"},"artifactType":"application/x-test","future":{}}]}
        """
                    .formatted(A)),
            Optional.of(MediaTypes.OCI_INDEX));
    Descriptor entry = entries.get(0);
    assertEquals(MediaTypes.OCI_MANIFEST, entry.mediaType());
    assertEquals(A, entry.digest());
    assertEquals(12, entry.size());
    assertEquals(
        Optional.of(new Platform("linux", "arm64", Optional.of("v8"), Optional.of("6.1"))),
        entry.platform());
    assertEquals("linux/arm64/v8", entry.platform().get().key());
    assertEquals(List.of("z", "a"), List.copyOf(entry.annotations().keySet()));
    assertEquals("Zürich", entry.annotations().get("a"));
    assertEquals(Optional.of("application/x-test"), entry.artifactType());
  }

  @Test
  @DisplayName("reads an image manifest's config and layers, in order")
  void readsImageManifest() {
    DescriptorReader.ImageDescriptors image =
        DescriptorReader.image(
            utf8(
                """
        {"schemaVersion":2,"config":{"mediaType":"c","digest":"%s","size":3},
         "layers":[{"mediaType":"l","digest":"%s","size":4}],"subject":{"x":1}}
        """
                    .formatted(A, B)),
            MediaTypes.OCI_MANIFEST);
    assertEquals(A, image.config().digest());
    assertEquals(List.of(A, B), image.blobs().stream().map(Descriptor::digest).toList());
  }

  @Test
  @DisplayName("marks a buildx attestation manifest by its vnd.docker.reference.type annotation")
  void recognisesAttestations() {
    List<Descriptor> entries =
        DescriptorReader.index(
            utf8(
                """
        {"manifests":[{"mediaType":"m","digest":"%s","size":1,
          "annotations":{"vnd.docker.reference.type":"attestation-manifest"}},
          {"mediaType":"m","digest":"%s","size":1}]}"""
                    .formatted(A, B)),
            Optional.empty());
    assertTrue(entries.get(0).isAttestation());
    assertTrue(!entries.get(1).isAttestation());
  }

  @Test
  @DisplayName("refuses a document whose mediaType differs from its descriptor's, naming both")
  void refusesMediaTypeMismatch() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DescriptorReader.image(
                    utf8(
                        """
            {"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
             "config":{"mediaType":"c","digest":"%s","size":3}}"""
                            .formatted(A)),
                    MediaTypes.OCI_MANIFEST));
    assertTrue(e.getMessage().contains("differs from the descriptor's"), e.getMessage());
  }

  @Test
  @DisplayName("lists every bad descriptor at once: bad digest, negative size, missing mediaType")
  void listsEveryProblem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DescriptorReader.index(
                    utf8(
                        """
            {"manifests":[{"mediaType":"m","digest":"md5:abc","size":1},
              {"mediaType":"m","digest":"%s","size":-1},{"digest":"%s","size":1}]}"""
                            .formatted(A, B)),
                    Optional.empty()));
    assertTrue(
        e.getMessage().contains("manifests[0].digest 'md5:abc' is not a sha256 digest"),
        e.getMessage());
    assertTrue(e.getMessage().contains("manifests[1].size"), e.getMessage());
    assertTrue(e.getMessage().contains("manifests[2] has no mediaType"), e.getMessage());
  }

  @Test
  @DisplayName("refuses a key given twice, since parsers disagree on which one counts")
  void refusesDuplicateKeys() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DescriptorReader.image(
                    utf8(
                        """
            {"config":{"mediaType":"c","digest":"%s","digest":"%s","size":3}}"""
                            .formatted(A, B)),
                    MediaTypes.OCI_MANIFEST));
    assertTrue(e.getMessage().contains("Duplicate field 'digest'"), e.getMessage());
  }
}
