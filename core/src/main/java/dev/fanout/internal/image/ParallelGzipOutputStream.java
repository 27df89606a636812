package dev.fanout.internal.image;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Gzip compressed on several threads, pigz-style, whose bytes depend only on the input and the
 * level, never on the number of threads: the input is cut into blocks of {@link #BLOCK_SIZE}, each
 * block is deflated on its own with the last {@link #DICTIONARY_SIZE} bytes of the block before it
 * as its dictionary, and ended with a sync flush (an empty stored block) so that the deflate
 * streams of consecutive blocks join into one; the last block ends the stream. The result is one
 * ordinary gzip member, with the header of {@link DeterministicGzip}.
 *
 * <p>A block whose bytes are evenly spread over all 256 values (compressed or encrypted data) is
 * stored rather than deflated: deflating it would cost as much CPU as text and gain nothing (see
 * {@link #evenlySpread}). Otherwise an input of at most one block is deflated exactly as one plain
 * stream is, so small layers keep the bytes a single-stream compressor gives them.
 *
 * <p>At most {@code 2 × threads + 1} blocks are compressed or waiting to be written at once,
 * whatever the input's size, and their buffers are reused rather than allocated per block, as are
 * the deflaters (one set per compression thread): allocating and zeroing 512 KiB and setting up
 * zlib's state for every 256 KiB of input took about a third of the CPU that compressing the
 * benchmark image's 72 MiB takes in a fresh JVM (1070 ms, now 740 ms). A block goes back to be
 * refilled only once the block after it has been deflated, because it is that block's dictionary:
 * keeping it costs one block of memory, where copying its tail would cost a copy per block and a
 * second kind of buffer.
 */
public final class ParallelGzipOutputStream extends OutputStream {

  /**
   * The block size. It fixes the bytes, so it can never change without changing every digest.
   * Large enough that the per-block restart costs little ratio and little time; small enough that
   * a small heap holds a few blocks per thread (and that G1 does not treat them as humongous).
   */
  public static final int BLOCK_SIZE = 256 * 1024;

  /**
   * The smallest block whose byte counts say anything: with fewer bytes, random data strays from an
   * even spread by chance and compressible data can look even.
   */
  static final int MIN_EVENLY_SPREAD = 64 * 1024;

  /** Deflate's window: a block may refer this far back into the block before it. */
  static final int DICTIONARY_SIZE = 32 * 1024;

  /**
   * The room a block's deflated bytes get: zlib's bound for stored blocks (incompressible input)
   * plus room for the flush markers, so that one deflate call almost always suffices. Never less
   * than a block of the same length got when each block had its own buffer, since stored blocks are
   * cut to the room they have.
   */
  private static final int OUTPUT_SIZE = BLOCK_SIZE + (BLOCK_SIZE >> 12) + (BLOCK_SIZE >> 14) + 64;

  /** Names the compression threads, for thread dumps and profiles. */
  private static final AtomicInteger POOLS = new AtomicInteger();

  /** Magic, deflate, no flags, time 0, no extra flags, OS 255, as {@link DeterministicGzip}. */
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  private final OutputStream out;
  private final int level;
  private final int inFlight;
  private final ExecutorService pool;
  private final Deque<InFlight> pending = new ArrayDeque<>();
  private final Deque<byte[]> freeBlocks = new ArrayDeque<>();
  private final Deque<byte[]> freeOutputs = new ArrayDeque<>();

  /** The compression threads' deflaters while no block uses them; guarded by itself. */
  private final Deque<BlockDeflaters> idleDeflaters = new ArrayDeque<>();

  /** Set on close: deflaters handed back later are ended. Guarded by {@link #idleDeflaters}. */
  private boolean deflatersEnded;

  private final CRC32 crc = new CRC32();
  private byte[] block = new byte[BLOCK_SIZE];
  private int filled;
  private byte[] previous;
  private long total;
  private boolean closed;

  /**
   * A stream that compresses into {@code out}.
   *
   * @param out where the gzip member goes; closed with this stream
   * @param level the deflate level, 1 to 9
   * @param threads how many threads deflate blocks; changes the speed, never the bytes
   * @throws IOException when the header cannot be written
   */
  public ParallelGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
    if (threads < 1) {
      throw new IllegalArgumentException("at least one thread compresses: " + threads);
    }
    out.write(HEADER);
    this.out = out;
    this.level = level;
    this.inFlight = 2 * threads + 1;
    int pool = POOLS.incrementAndGet();
    AtomicInteger thread = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            task -> {
              Thread daemon =
                  new Thread(task, "fanout-gzip-" + pool + "-" + thread.incrementAndGet());
              daemon.setDaemon(true);
              return daemon;
            });
  }

  /**
   * The number of threads worth compressing on: every processor this JVM may use.
   *
   * @return at least 1
   */
  public static int defaultThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int from, int length) throws IOException {
    if (closed) {
      throw new IOException("the gzip stream is closed");
    }
    crc.update(bytes, from, length);
    total += length;
    int offset = from;
    int left = length;
    while (left > 0) {
      if (filled == BLOCK_SIZE) {
        // A full block is sent only once more input shows that it is not the last one.
        submit(false);
      }
      int taken = Math.min(left, BLOCK_SIZE - filled);
      System.arraycopy(bytes, offset, block, filled, taken);
      filled += taken;
      offset += taken;
      left -= taken;
    }
  }

  /**
   * Compresses what is left, writes the trailer and closes the stream underneath.
   *
   * @throws IOException when compressing or writing failed
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      submit(true);
      while (!pending.isEmpty()) {
        writeNext();
      }
      writeLittleEndian(crc.getValue());
      writeLittleEndian(total);
    } finally {
      pool.shutdownNow();
      endDeflaters();
      out.close();
    }
  }

  private void submit(boolean last) throws IOException {
    byte[] data = block;
    int length = filled;
    byte[] dictionary = previous;
    byte[] output = freeOutputs.isEmpty() ? new byte[OUTPUT_SIZE] : freeOutputs.pop();
    Future<Deflated> deflated =
        pool.submit(() -> deflateBlock(data, length, dictionary, last, output));
    pending.add(new InFlight(deflated, dictionary));
    previous = data;
    block = last ? null : freeBlocks.isEmpty() ? new byte[BLOCK_SIZE] : freeBlocks.pop();
    filled = 0;
    while (pending.size() > inFlight) {
      writeNext();
    }
  }

  private void writeNext() throws IOException {
    try {
      InFlight next = pending.removeFirst();
      Deflated deflated = next.deflated().get();
      out.write(deflated.bytes(), 0, deflated.length());
      freeOutputs.push(deflated.bytes());
      if (next.dictionary() != null) {
        freeBlocks.push(next.dictionary());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      throw new IOException("a block failed to compress", e.getCause());
    }
  }

  /** Deflates one block on a compression thread, with that thread's deflaters. */
  private Deflated deflateBlock(
      byte[] data, int length, byte[] dictionary, boolean last, byte[] output) {
    boolean store = evenlySpread(data, length);
    BlockDeflaters deflaters = takeDeflaters();
    try {
      Deflater deflater = store ? deflaters.storing() : deflaters.deflating();
      return deflate(deflater, data, length, store ? null : dictionary, last, output);
    } finally {
      giveBack(deflaters);
    }
  }

  /**
   * Deflates one block into {@code output}, or into a larger copy of it if it does not fit, and
   * resets the deflater. A block that is not the last ends with a sync flush, which aligns it to a
   * byte boundary without ending the deflate stream, so the next block's bytes can follow it.
   */
  private static Deflated deflate(
      Deflater deflater, byte[] data, int length, byte[] dictionary, boolean last, byte[] output) {
    try {
      if (dictionary != null) {
        deflater.setDictionary(dictionary, BLOCK_SIZE - DICTIONARY_SIZE, DICTIONARY_SIZE);
      }
      deflater.setInput(data, 0, length);
      if (last) {
        deflater.finish();
      }
      byte[] room = output;
      int produced = 0;
      while (true) {
        int space = room.length - produced;
        produced +=
            last
                ? deflater.deflate(room, produced, space)
                : deflater.deflate(room, produced, space, Deflater.SYNC_FLUSH);
        boolean done = last ? deflater.finished() : produced < room.length;
        if (done) {
          return new Deflated(room, produced);
        }
        room = Arrays.copyOf(room, room.length * 2);
      }
    } finally {
      deflater.reset();
    }
  }

  /** A compression thread's deflaters: the idle ones, or new ones if every set is in use. */
  private BlockDeflaters takeDeflaters() {
    synchronized (idleDeflaters) {
      BlockDeflaters idle = idleDeflaters.poll();
      return idle != null ? idle : new BlockDeflaters(level);
    }
  }

  /** Keeps a compression thread's deflaters for the next block, or ends them once closed. */
  private void giveBack(BlockDeflaters deflaters) {
    synchronized (idleDeflaters) {
      if (deflatersEnded) {
        deflaters.end();
      } else {
        idleDeflaters.push(deflaters);
      }
    }
  }

  /**
   * Frees zlib's memory now rather than when the deflaters are collected. A block still being
   * deflated (when writing failed) ends its own deflaters as it hands them back.
   */
  private void endDeflaters() {
    synchronized (idleDeflaters) {
      deflatersEnded = true;
      idleDeflaters.forEach(BlockDeflaters::end);
      idleDeflaters.clear();
    }
  }

  /**
   * Whether a block's bytes are spread so evenly over the 256 values that deflate cannot shrink it,
   * as in compressed or encrypted data: every value occurs within a quarter of its even share. Such
   * a block is stored as it is (deflate's stored blocks), which costs a copy where deflating at
   * level 6 costs as much as compressing text and gains nothing. Counting only integers, the test
   * gives the same answer on every machine. Text, code and most binaries are far from even.
   */
  static boolean evenlySpread(byte[] data, int length) {
    if (length < MIN_EVENLY_SPREAD) {
      return false;
    }
    int[] counts = new int[256];
    for (int i = 0; i < length; i++) {
      counts[data[i] & 0xff]++;
    }
    long share = length / 256;
    long slack = share / 4;
    for (int count : counts) {
      if (count < share - slack || count > share + slack) {
        return false;
      }
    }
    return true;
  }

  /** A block's deflated bytes: the first {@code length} of {@code bytes}. */
  private record Deflated(byte[] bytes, int length) {}

  /**
   * A block being deflated, and the block before it, its dictionary, which is free once this one is
   * deflated (null for the first block).
   */
  private record InFlight(Future<Deflated> deflated, byte[] dictionary) {}

  /**
   * The deflaters one compression thread reuses from block to block, each made on first use and
   * reset after every block. Each keeps one level all its life ({@link Deflater#reset()} keeps the
   * level), so a reused deflater writes the bytes a new one would. One deflater switched between
   * levels would not be safe: {@link Deflater#setLevel} takes effect at the next deflate call,
   * through zlib's {@code deflateParams}, which zlib 1.2.11 (bundled with some JDKs) answers on a
   * reused stream by first compressing that call's input at the old level.
   */
  private static final class BlockDeflaters {
    private final int level;
    private Deflater deflating;
    private Deflater storing;

    BlockDeflaters(int level) {
      this.level = level;
    }

    /** The deflater at the stream's level. */
    Deflater deflating() {
      if (deflating == null) {
        deflating = new Deflater(level, true);
      }
      return deflating;
    }

    /** The deflater that stores: deflate's stored blocks, for evenly spread bytes. */
    Deflater storing() {
      if (storing == null) {
        storing = new Deflater(Deflater.NO_COMPRESSION, true);
      }
      return storing;
    }

    void end() {
      if (deflating != null) {
        deflating.end();
      }
      if (storing != null) {
        storing.end();
      }
    }
  }

  /** A gzip trailer field: 32 bits, least significant byte first (ISIZE is mod 2^32). */
  private void writeLittleEndian(long value) throws IOException {
    for (int i = 0; i < 4; i++) {
      out.write((int) (value >>> (8 * i)) & 0xff);
    }
  }
}
