package dev.fanout.internal;

import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import dev.fanout.internal.image.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * The layers Fanout compressed itself, kept in a folder by what they were made of, so that a run
 * over unchanged files compresses nothing.
 *
 * <p>A layer's key is the SHA-256 of everything that shapes its bytes: the compression format and
 * level, and for every entry its source path, its path, permissions, time and ownership in the
 * image, and the source's size and last-modified time (as Jib's own cache, which trusts a file
 * whose size and time did not change). An entry {@code <key>} holds the layer's digest, size and
 * diff_id; the layer itself is {@code blobs/<hex>}. Both are written under a temporary name and
 * moved into place, so a crashed run leaves no half entry.
 */
final class CompressedLayerCache {

  private final Path folder;

  /**
   * A cache in a folder, created on first write.
   *
   * @param folder the folder
   */
  CompressedLayerCache(Path folder) {
    this.folder = folder;
  }

  /**
   * A compressed layer.
   *
   * @param digest the compressed bytes' digest
   * @param size their length
   * @param diffId the uncompressed tar's digest
   * @param file where the compressed bytes are
   */
  record Layer(String digest, long size, String diffId, Path file) {}

  /**
   * The key of a layer's entries.
   *
   * @param format what fixes the compressed bytes besides the entries (format, level, block size)
   * @param entries the layer's entries, in the layer's order
   * @return the key, 64 hex digits
   * @throws IOException when a source file cannot be read
   */
  static String key(String format, List<FileEntry> entries) throws IOException {
    MessageDigest key = Digests.sha256();
    update(key, format);
    for (FileEntry entry : entries) {
      BasicFileAttributes source =
          Files.readAttributes(
              entry.getSourceFile(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      update(key, entry.getSourceFile().toAbsolutePath().toString());
      update(key, entry.getExtractionPath().toString());
      update(key, entry.getPermissions().toOctalString());
      update(key, entry.getModificationTime().toString());
      update(key, String.valueOf(entry.getOwnership()));
      update(key, source.isDirectory() ? "dir" : String.valueOf(source.size()));
      update(key, String.valueOf(source.lastModifiedTime().toMillis()));
    }
    return Digests.format(key.digest()).substring("sha256:".length());
  }

  /** One field, ended by a NUL, which no path or time holds: fields cannot run into each other. */
  private static void update(MessageDigest key, String field) {
    key.update(field.getBytes(StandardCharsets.UTF_8));
    key.update((byte) 0);
  }

  /**
   * The layer cached under a key, when its entry and its file are both there.
   *
   * @param key the key
   * @return the layer, or empty
   * @throws IOException when the entry cannot be read
   */
  Optional<Layer> find(String key) throws IOException {
    Path entry = folder.resolve(key);
    if (!Files.isRegularFile(entry)) {
      return Optional.empty();
    }
    String[] fields = Files.readString(entry, StandardCharsets.UTF_8).trim().split(" ");
    if (fields.length != 3 || !Digests.isValid(fields[0]) || !Digests.isValid(fields[2])) {
      return Optional.empty();
    }
    Path file = blobFile(fields[0]);
    long size = Long.parseLong(fields[1]);
    if (!Files.isRegularFile(file) || Files.size(file) != size) {
      return Optional.empty();
    }
    return Optional.of(new Layer(fields[0], size, fields[2], file));
  }

  /**
   * A temporary file to compress a layer into, then hand to {@link #store}.
   *
   * @return the file
   * @throws IOException when the folder cannot be created
   */
  Path newPartial() throws IOException {
    return Files.createTempFile(Files.createDirectories(folder.resolve("blobs")), "layer-", ".part");
  }

  /**
   * Moves a compressed layer into the cache and records it under its key.
   *
   * @param key the key
   * @param partial the file {@link #newPartial()} gave, holding the compressed bytes
   * @param digest their digest
   * @param size their length
   * @param diffId the uncompressed tar's digest
   * @return the layer, now in the cache
   * @throws IOException when it cannot be moved or recorded
   */
  Layer store(String key, Path partial, String digest, long size, String diffId)
      throws IOException {
    Path file = Files.move(partial, blobFile(digest), StandardCopyOption.REPLACE_EXISTING);
    Path entry = Files.createTempFile(folder, "entry-", ".part");
    Files.writeString(entry, digest + " " + size + " " + diffId + "\n", StandardCharsets.UTF_8);
    Files.move(entry, folder.resolve(key), StandardCopyOption.REPLACE_EXISTING);
    return new Layer(digest, size, diffId, file);
  }

  private Path blobFile(String digest) {
    return folder.resolve("blobs").resolve(digest.substring("sha256:".length()));
  }
}
