package dev.fanout.cli.config;

import dev.fanout.RetryPolicy;
import dev.fanout.TagRule;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a config file ({@code fanout.yml}): the whole pipeline in YAML, checked in one pass that
 * reports every unknown key and bad value with its line and column, and reads nothing but the file
 * itself and the layer directories it names (no network, no environment).
 *
 * <p>Loading is safe by construction: SnakeYAML only composes the document into a tree of nodes,
 * never constructs an object from a YAML tag, and is bounded in size, nesting and aliases.
 */
public final class PipelineFileReader {

  /** A pipeline fits in a few kilobytes; anything much larger is not a config file. */
  static final int MAX_BYTES = 256 * 1024;

  /** Deeper than any valid file nests (conditions nest a few levels). */
  static final int MAX_NESTING = 40;

  /** Anchors are handy for a shared condition; many more is an alias bomb. */
  static final int MAX_ALIASES = 50;

  static final Set<String> KEYS =
      new LinkedHashSet<>(List.of("image", "tags", "tagRules", "targets", "retry"));

  static final Set<String> RETRY_KEYS =
      new LinkedHashSet<>(
          List.of(
              "maxAttempts", "initialBackoff", "multiplier", "maxBackoff", "jitter", "deadline"));

  /**
   * A duration as people write one in YAML: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}.
   */
  static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

  private PipelineFileReader() {}

  /**
   * Reads and checks a config file.
   *
   * @param file the file
   * @param problems receives every problem, each starting with {@code file:line:column:}
   * @return what it declares, or empty when it has problems
   */
  public static Optional<PipelineFile> read(Path file, List<String> problems) {
    YamlProblems found = new YamlProblems(file);
    Optional<PipelineFile> read = read(file, found);
    problems.addAll(found.list());
    return found.count() == 0 ? read : Optional.empty();
  }

  private static Optional<PipelineFile> read(Path file, YamlProblems problems) {
    Optional<String> text = text(file, problems);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Node root;
    try (Reader reader = new StringReader(text.get())) {
      root = new Yaml(loaderOptions()).compose(reader);
    } catch (MarkedYAMLException e) {
      problems.at(
          e.getProblemMark(),
          "",
          (e.getContext() == null ? "" : e.getContext() + ": ") + e.getProblem());
      return Optional.empty();
    } catch (YAMLException | IOException e) {
      problems.withFile("cannot be read as YAML: " + e.getMessage());
      return Optional.empty();
    }
    if (root == null) {
      problems.withFile("is empty: it needs at least targets, or an image for the command's");
      return Optional.empty();
    }
    return document(root, file.toAbsolutePath().getParent(), new YamlFields(problems));
  }

  private static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_BYTES);
    options.setNestingDepthLimit(MAX_NESTING);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setAllowRecursiveKeys(false);
    options.setProcessComments(false);
    return options;
  }

  private static Optional<String> text(Path file, YamlProblems problems) {
    try {
      if (!Files.isRegularFile(file)) {
        problems.withFile("is not a file");
        return Optional.empty();
      }
      if (Files.size(file) > MAX_BYTES) {
        problems.withFile("is larger than " + MAX_BYTES / 1024 + " KiB; a config file is not");
        return Optional.empty();
      }
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString());
    } catch (CharacterCodingException e) {
      problems.withFile("is not UTF-8 text");
    } catch (IOException e) {
      problems.withFile("cannot be read: " + e.getMessage());
    }
    return Optional.empty();
  }

  private static Optional<PipelineFile> document(Node root, Path folder, YamlFields fields) {
    Optional<YamlFields.Mapping> read = fields.mapping(root, "", KEYS);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    YamlFields.Mapping document = read.get();
    Optional<ImageSection> image =
        document.get("image").flatMap(node -> ImageSectionReader.read(node, folder, fields));
    Optional<List<TagRule>> tags = TagsReader.read(document, fields);
    List<TargetEntry> targets = new ArrayList<>();
    document
        .get("targets")
        .flatMap(node -> fields.sequence(node, "targets"))
        .ifPresent(
            items -> {
              for (int i = 0; i < items.size(); i++) {
                TargetReader.read(items.get(i), "targets[" + i + "]", fields)
                    .ifPresent(targets::add);
              }
            });
    Optional<RetryPolicy> retry = document.get("retry").flatMap(node -> retry(node, fields));
    return Optional.of(new PipelineFile(image, tags, List.copyOf(targets), retry));
  }

  private static Optional<RetryPolicy> retry(Node node, YamlFields fields) {
    Optional<YamlFields.Mapping> read = fields.mapping(node, "retry", RETRY_KEYS);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    YamlFields.Mapping retry = read.get();
    int before = fields.problems().count();
    RetryPolicy.Builder policy = RetryPolicy.custom();
    retry
        .get("maxAttempts")
        .flatMap(value -> fields.wholeNumber(value, retry.path("maxAttempts"), 1))
        .ifPresent(policy::maxAttempts);
    duration(retry, "initialBackoff", fields).ifPresent(policy::initialBackoff);
    retry
        .get("multiplier")
        .flatMap(value -> fields.number(value, retry.path("multiplier"), 1, Double.MAX_VALUE))
        .ifPresent(policy::multiplier);
    duration(retry, "maxBackoff", fields).ifPresent(policy::maxBackoff);
    retry
        .get("jitter")
        .flatMap(value -> fields.number(value, retry.path("jitter"), 0, 1))
        .ifPresent(policy::jitter);
    duration(retry, "deadline", fields)
        .ifPresent(
            deadline -> {
              if (deadline.isZero()) {
                fields
                    .problems()
                    .at(
                        retry.get("deadline").orElseThrow(),
                        retry.path("deadline"),
                        "must be longer than 0");
              } else {
                policy.deadline(deadline);
              }
            });
    if (fields.problems().count() > before) {
      return Optional.empty();
    }
    try {
      return Optional.of(policy.build());
    } catch (IllegalStateException e) {
      // The settings contradict each other (maxBackoff shorter than initialBackoff).
      fields.problems().at(node, "retry", e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<Duration> duration(
      YamlFields.Mapping mapping, String key, YamlFields fields) {
    Optional<Node> node = mapping.get(key);
    Optional<String> text = fields.text(mapping, key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Matcher matcher = DURATION.matcher(text.get());
    if (!matcher.matches()) {
      fields
          .problems()
          .at(
              node.get(),
              mapping.path(key),
              "'" + text.get() + "' is not a duration such as 500ms, 30s, 10m or 1h");
      return Optional.empty();
    }
    long amount = Long.parseLong(matcher.group(1));
    return Optional.of(
        switch (matcher.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        });
  }
}
