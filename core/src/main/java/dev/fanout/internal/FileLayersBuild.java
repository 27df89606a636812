package dev.fanout.internal;

import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.buildplan.ContainerBuildPlan;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.LayerObject;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.blob.BlobDescriptor;
import com.google.cloud.tools.jib.blob.Blobs;
import com.google.cloud.tools.jib.image.Image;
import com.google.cloud.tools.jib.image.Layer;
import com.google.cloud.tools.jib.image.ReproducibleLayerBuilder;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.HistoryEntry;
import com.google.cloud.tools.jib.image.json.ImageToJsonTranslator;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import com.google.cloud.tools.jib.image.json.V22ManifestTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import com.google.common.collect.ImmutableList;
import dev.fanout.Progress;
import dev.fanout.internal.image.Blob;
import dev.fanout.internal.image.BlobContent;
import dev.fanout.internal.image.Digests;
import dev.fanout.internal.image.ImageInHand;
import dev.fanout.internal.image.ManifestBytes;
import dev.fanout.internal.image.ParallelGzipOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an image from scratch whose layers are all files (what the command line's {@code --layer}
 * makes) without containerizing: Jib's {@link ReproducibleLayerBuilder} writes each layer's tar,
 * the very tar Jib would write, and {@link ParallelGzipOutputStream} compresses it on every core
 * straight into the layer cache, hashed on the way; the config and manifest are Jib's own
 * ({@link ImageToJsonTranslator}), as Jib writes them for a scratch base.
 *
 * <p>So the layers are compressed in parallel, {@link #LAYERS_AT_ONCE} at a time, each handed to the
 * pushes as soon as it is in the cache, and no tarball is written and read back. The tars,
 * so the config's diff_ids, are Jib's; the compressed bytes, so the layer digests in the manifest
 * and the image's digest, differ from the single gzip stream Jib writes for the same files. They
 * are the same on every machine and every run, whatever the number of cores.
 */
final class FileLayersBuild {

  private static final Logger LOG = LoggerFactory.getLogger(FileLayersBuild.class);

  /** The deflate level: zlib's default, as Jib's and {@code docker push}'s gzip. */
  static final int GZIP_LEVEL = 6;

  /** What fixes a layer's compressed bytes besides its files; part of every cache key. */
  private static final String FORMAT =
      "tar+gzip parallel blocks " + ParallelGzipOutputStream.BLOCK_SIZE + " level " + GZIP_LEVEL;

  /**
   * Layers compressed at once. Much of a layer's work is serial (reading its files, writing its
   * tar, hashing it), and a layer of compressed or random data costs its compression threads
   * little: on 2 cores that left about a core idle for as long as such a layer took, which the
   * next layer's deflating now uses. Two, not more: every layer already compresses on every core.
   */
  static final int LAYERS_AT_ONCE = 2;

  /** The author Jib writes into each layer's history entry. */
  private static final String HISTORY_AUTHOR = "Jib";

  private final CompressedLayerCache cache;
  private final Path blobs;
  private final String createdBy;
  private final RunEvents events;
  private final Consumer<Blob> layerBuilt;

  /**
   * A build.
   *
   * @param cache where compressed layers are kept, and found again on a later run
   * @param blobs the run's blob folder, where the config goes
   * @param createdBy the history's "created by", {@code tool:version}
   * @param events the run's listeners, told each layer's progress
   * @param layerBuilt told each layer as soon as it is in the cache, before the image is complete,
   *     so that its upload can overlap the next layer's compression
   */
  FileLayersBuild(
      CompressedLayerCache cache,
      Path blobs,
      String createdBy,
      RunEvents events,
      Consumer<Blob> layerBuilt) {
    this.cache = cache;
    this.blobs = blobs;
    this.createdBy = createdBy;
    this.events = events;
    this.layerBuilt = layerBuilt;
  }

  /**
   * Whether a plan is one this build makes: a scratch base, one platform, file layers only.
   *
   * @param plan Jib's plan
   * @return true when {@link #build} can build it
   */
  static boolean builds(ContainerBuildPlan plan) {
    return "scratch".equals(plan.getBaseImage())
        && plan.getPlatforms().size() == 1
        && plan.getLayers().stream().allMatch(layer -> layer instanceof FileEntriesLayer);
  }

  /**
   * Builds the image.
   *
   * @param plan a plan {@link #builds} accepts
   * @return the image, its layers in the cache and its config in the blob folder
   * @throws IOException when a file cannot be read or a layer written
   */
  ImageInHand build(ContainerBuildPlan plan) throws IOException {
    Class<? extends BuildableManifestTemplate> format =
        plan.getFormat() == ImageFormat.OCI ? OciManifestTemplate.class : V22ManifestTemplate.class;
    Platform platform = plan.getPlatforms().iterator().next();
    Image.Builder image =
        Image.builder(format).setArchitecture(platform.getArchitecture()).setOs(platform.getOs());
    List<? extends LayerObject> layers = plan.getLayers();
    List<Blob> layerBlobs = new ArrayList<>();
    for (CompressedLayerCache.Layer built : compressAll(layers)) {
      layerBlobs.add(blobOf(built));
      image.addLayer(new BuiltLayer(built));
    }
    for (LayerObject layer : layers) {
      image.addHistory(
          HistoryEntry.builder()
              .setCreationTimestamp(plan.getCreationTime())
              .setAuthor(HISTORY_AUTHOR)
              .setCreatedBy(createdBy)
              .setComment(layer.getName())
              .build());
    }
    image
        .addEnvironment(plan.getEnvironment())
        .setCreated(plan.getCreationTime())
        .setEntrypoint(plan.getEntrypoint())
        .setProgramArguments(plan.getCmd())
        .addExposedPorts(plan.getExposedPorts())
        .addVolumes(plan.getVolumes())
        .addLabels(plan.getLabels());
    if (plan.getUser() != null) {
      image.setUser(plan.getUser());
    }
    if (plan.getWorkingDirectory() != null) {
      image.setWorkingDirectory(plan.getWorkingDirectory().toString());
    }
    ImageToJsonTranslator json = new ImageToJsonTranslator(image.build());
    byte[] config = JsonTemplateMapper.toByteArray(json.getContainerConfiguration());
    String configDigest = Digests.of(config);
    Path configFile = blobs.resolve(configDigest.substring("sha256:".length()));
    Files.write(configFile, config);
    BuildableManifestTemplate manifest =
        json.getManifestTemplate(
            format, new BlobDescriptor(config.length, jibDigest(configDigest)));
    ImageInHand.Builder built =
        ImageInHand.withRoot(
            ManifestBytes.of(
                manifest.getManifestMediaType(), JsonTemplateMapper.toByteArray(manifest)));
    built.blob(new Blob(configDigest, config.length, BlobContent.ofFile(configFile)));
    layerBlobs.forEach(built::blob);
    return built.build();
  }

  /**
   * Every layer from the cache or compressed into it, {@link #LAYERS_AT_ONCE} at a time. Each layer
   * is handed to {@link #layerBuilt}, and its progress told, as soon as it is done, in the order
   * they finish; the first failure ends the build.
   *
   * @return the layers in the plan's order
   */
  private List<CompressedLayerCache.Layer> compressAll(List<? extends LayerObject> layers)
      throws IOException {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(LAYERS_AT_ONCE, layers.size())), new NamedThreads("fanout-layer"));
    try {
      CompletionService<Integer> done = new ExecutorCompletionService<>(pool);
      CompressedLayerCache.Layer[] built = new CompressedLayerCache.Layer[layers.size()];
      for (int index = 0; index < layers.size(); index++) {
        int position = index;
        FileEntriesLayer files = (FileEntriesLayer) layers.get(index);
        done.submit(
            () -> {
              built[position] = layer(files);
              return position;
            });
      }
      long bytes = 0;
      for (int finished = 1; finished <= layers.size(); finished++) {
        CompressedLayerCache.Layer layer = built[next(done)];
        layerBuilt.accept(blobOf(layer));
        bytes += layer.size();
        events.progress(
            new Progress(
                Progress.BUILD,
                (double) finished / layers.size(),
                finished,
                layers.size(),
                bytes,
                bytes));
      }
      return List.of(built);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The position of the next layer done, or its failure as it was thrown. */
  private static int next(CompletionService<Integer> done) throws IOException {
    try {
      return done.take().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing the layers");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException("a layer failed to compress", e.getCause());
    }
  }

  private static Blob blobOf(CompressedLayerCache.Layer layer) {
    return new Blob(layer.digest(), layer.size(), BlobContent.ofFile(layer.file()));
  }

  /** A layer from the cache, or compressed into it now. */
  private CompressedLayerCache.Layer layer(FileEntriesLayer files) throws IOException {
    ImmutableList<FileEntry> entries = ImmutableList.copyOf(files.getEntries());
    String key = CompressedLayerCache.key(FORMAT, entries);
    Optional<CompressedLayerCache.Layer> cached = cache.find(key);
    if (cached.isPresent()) {
      LOG.info("layer {}: {} from the layer cache", files.getName(), cached.get().digest());
      return cached.get();
    }
    long started = System.nanoTime();
    int threads = ParallelGzipOutputStream.defaultThreads();
    Path partial = cache.newPartial();
    MessageDigest compressed = Digests.sha256();
    String diffId;
    try (DigestOutputStream hashed =
            new DigestOutputStream(
                new BufferedOutputStream(Files.newOutputStream(partial), 256 * 1024), compressed);
        OutputStream gzip = new ParallelGzipOutputStream(hashed, GZIP_LEVEL, threads)) {
      diffId = new ReproducibleLayerBuilder(entries).build().writeTo(gzip).getDigest().toString();
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    String digest = Digests.format(compressed.digest());
    CompressedLayerCache.Layer layer =
        cache.store(key, partial, digest, Files.size(partial), diffId);
    LOG.info(
        "layer {}: {} compressed on {} threads in {} ms ({} bytes)",
        files.getName(),
        digest,
        threads,
        (System.nanoTime() - started) / 1_000_000,
        layer.size());
    return layer;
  }

  private static DescriptorDigest jibDigest(String digest) throws IOException {
    try {
      return DescriptorDigest.fromDigest(digest);
    } catch (DigestException e) {
      throw new IOException("not a digest Jib accepts: " + digest, e);
    }
  }

  /** A built layer as Jib's image model wants it: its descriptor and diff_id. */
  private static final class BuiltLayer implements Layer {

    private final CompressedLayerCache.Layer layer;

    BuiltLayer(CompressedLayerCache.Layer layer) {
      this.layer = layer;
    }

    @Override
    public com.google.cloud.tools.jib.blob.Blob getBlob() {
      return Blobs.from(layer.file());
    }

    @Override
    public BlobDescriptor getBlobDescriptor() {
      return new BlobDescriptor(layer.size(), digest(layer.digest()));
    }

    @Override
    public DescriptorDigest getDiffId() {
      return digest(layer.diffId());
    }

    private static DescriptorDigest digest(String digest) {
      try {
        return DescriptorDigest.fromDigest(digest);
      } catch (DigestException e) {
        throw new IllegalStateException("the layer cache holds a malformed digest: " + digest, e);
      }
    }
  }
}
