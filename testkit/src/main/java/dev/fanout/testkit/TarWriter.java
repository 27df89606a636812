package dev.fanout.testkit;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes tars byte for byte the same on every run: entries in the order given, time 0, owner 0.
 * Names are written as given, {@code ../} and leading {@code /} included, so tests can build the
 * hostile archives a reader must refuse.
 */
final class TarWriter implements AutoCloseable {

  private final TarArchiveOutputStream tar;

  private TarWriter(OutputStream out) {
    tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  /** A tar written to a file. */
  static TarWriter to(Path file) throws IOException {
    return new TarWriter(new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024));
  }

  /** A tar written to a stream, which closing the writer closes. */
  static TarWriter to(OutputStream out) {
    return new TarWriter(out);
  }

  /** A small tar in memory, such as a layer: each pair of arguments is a name and its text. */
  static byte[] inMemory(String... namesAndTexts) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarWriter writer = new TarWriter(bytes)) {
      for (int i = 0; i < namesAndTexts.length; i += 2) {
        writer.file(namesAndTexts[i], namesAndTexts[i + 1].getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Gzip of some bytes; the JDK writes time 0 and no name, so the output is reproducible. */
  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Adds a file with the given bytes. */
  TarWriter file(String name, byte[] bytes) throws IOException {
    TarArchiveEntry entry = entry(name, TarConstants.LF_NORMAL, 0644);
    entry.setSize(bytes.length);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
    return this;
  }

  /** Adds a file streamed from disk, never held in memory. */
  TarWriter file(String name, Path source) throws IOException {
    TarArchiveEntry entry = entry(name, TarConstants.LF_NORMAL, 0644);
    entry.setSize(Files.size(source));
    tar.putArchiveEntry(entry);
    try (InputStream in = Files.newInputStream(source)) {
      in.transferTo(tar);
    }
    tar.closeArchiveEntry();
    return this;
  }

  /**
   * Adds a file of {@code size} bytes that {@code content} writes, streamed, never in memory.
   *
   * @param content writes exactly {@code size} bytes to the stream it is given
   */
  TarWriter file(String name, long size, Content content) throws IOException {
    TarArchiveEntry entry = entry(name, TarConstants.LF_NORMAL, 0644);
    entry.setSize(size);
    tar.putArchiveEntry(entry);
    content.writeTo(tar);
    tar.closeArchiveEntry();
    return this;
  }

  /** Writes a file's bytes. */
  @FunctionalInterface
  interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Adds a folder. */
  TarWriter folder(String name) throws IOException {
    tar.putArchiveEntry(entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, 0755));
    tar.closeArchiveEntry();
    return this;
  }

  /** Adds a symbolic link. */
  TarWriter symlink(String name, String target) throws IOException {
    TarArchiveEntry entry = entry(name, TarConstants.LF_SYMLINK, 0777);
    entry.setLinkName(target);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
    return this;
  }

  /** Adds a hard link. */
  TarWriter hardLink(String name, String target) throws IOException {
    TarArchiveEntry entry = entry(name, TarConstants.LF_LINK, 0644);
    entry.setLinkName(target);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
    return this;
  }

  /** Adds a character device. */
  TarWriter characterDevice(String name) throws IOException {
    TarArchiveEntry entry = entry(name, TarConstants.LF_CHR, 0644);
    entry.setDevMajor(1);
    entry.setDevMinor(3);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
    return this;
  }

  private static TarArchiveEntry entry(String name, byte type, int mode) {
    TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
    entry.setMode(mode | (type == TarConstants.LF_DIR ? 040000 : 0100000));
    entry.setModTime(0);
    entry.setIds(0, 0);
    entry.setNames("", "");
    return entry;
  }

  @Override
  public void close() throws IOException {
    tar.finish();
    tar.close();
  }
}
