package dev.fanout.internal.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ArchiveNames")
class ArchiveNamesTest {

  @Test
  @DisplayName("refuses names that leave the archive and accepts relative ones")
  void judgesNames() {
    assertEquals(Optional.of("is an absolute path"), ArchiveNames.problem("/proc/self/environ"));
    assertEquals(Optional.of("has a '..' segment"), ArchiveNames.problem("a/../../etc/passwd"));
    assertEquals(Optional.of("has a '..' segment"), ArchiveNames.problem(".."));
    assertEquals(Optional.of("contains a backslash"), ArchiveNames.problem("a\\..\\b"));
    assertEquals(Optional.of("is empty"), ArchiveNames.problem(""));
    assertEquals(Optional.empty(), ArchiveNames.problem("./blobs/sha256/ab..cd"));
  }

  @Test
  @DisplayName("gives one spelling to ./a//b/ and a/b")
  void normalizes() {
    assertEquals("blobs/sha256/x", ArchiveNames.normalize("./blobs//sha256/./x/"));
  }

  @Test
  @DisplayName("escapes carriage returns, newlines, quotes and invisible characters, keeps letters")
  void quotes() {
    assertEquals(
        "'a\\u000d::warning::x\\u000a\\u202e\\u0027Zürich'",
        ArchiveNames.quote("a\r::warning::x\n\u202e'Zürich"));
  }
}
