package dev.fanout.cli;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line, parsed: which directories become layers, where the image goes and how.
 *
 * @param layers one layer per directory, in the order given
 * @param references the images to push to
 * @param tags the tags of every target; empty to take them from the references
 * @param entrypoint the image's entrypoint; empty for none
 * @param plainHttp whether the targets may be reached over plain HTTP
 * @param layerCache where to keep built layers between runs; empty for a throw-away folder
 */
record CliArguments(
    List<LayerDirectory> layers,
    List<String> references,
    List<String> tags,
    List<String> entrypoint,
    boolean plainHttp,
    Optional<Path> layerCache) {

  /** What {@code --help} and every usage error print. */
  static final String USAGE =
      String.join(
          "\n",
          "usage: fanout [options] --layer DIR[=/path] [--layer ...] REFERENCE [REFERENCE ...]",
          "",
          "Builds an image from scratch, one layer per directory, once, and pushes it to every",
          "REFERENCE (for example 127.0.0.1:5000/acme/app:1.0) concurrently.",
          "",
          "  --layer DIR[=/path]   a layer holding DIR's files under /path (default: /<DIR's name>)",
          "  --tag TAG             a tag for every reference (repeatable; default: the reference's",
          "                        own tag, else latest)",
          "  --entrypoint ARG      one entrypoint argument (repeatable, in order)",
          "  --plain-http          allow plain HTTP; credentials go over it to loopback only",
          "  --layer-cache DIR     keep built layers in DIR between runs",
          "  --help                print this text",
          "",
          "Credentials: FANOUT_USERNAME and FANOUT_PASSWORD, for every reference; when neither is",
          "set, Docker's config.json, else anonymous. Creation time and file times are fixed, so the",
          "same directories give the same digest.",
          "Exit status: 0 when every reference was pushed, 1 when one failed, 2 on a usage or",
          "configuration error.");

  /**
   * A directory that becomes one layer.
   *
   * @param directory the directory on disk
   * @param pathInImage where its files go in the image
   */
  record LayerDirectory(Path directory, AbsoluteUnixPath pathInImage) {}

  /** Thrown for a command line that cannot be run; the message says why. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  /**
   * Parses the arguments.
   *
   * @param args the command line
   * @return the parsed arguments, or empty when help was asked for
   * @throws UsageException when the command line is wrong, with every problem found
   */
  static Optional<CliArguments> parse(List<String> args) throws UsageException {
    List<LayerDirectory> layers = new ArrayList<>();
    List<String> references = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    List<String> entrypoint = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    boolean plainHttp = false;
    Path layerCache = null;
    for (int index = 0; index < args.size(); index++) {
      String arg = args.get(index);
      switch (arg) {
        case "--help", "-h" -> {
          return Optional.empty();
        }
        case "--plain-http" -> plainHttp = true;
        case "--layer", "--tag", "--entrypoint", "--layer-cache" -> {
          if (index + 1 == args.size()) {
            problems.add(arg + " needs a value");
            continue;
          }
          String value = args.get(++index);
          switch (arg) {
            case "--layer" -> layer(value, problems).ifPresent(layers::add);
            case "--tag" -> tags.add(value);
            case "--entrypoint" -> entrypoint.add(value);
            default -> layerCache = Path.of(value);
          }
        }
        default -> {
          if (arg.startsWith("-")) {
            problems.add("unknown option " + arg);
          } else {
            references.add(arg);
          }
        }
      }
    }
    if (layers.isEmpty() && problems.stream().noneMatch(problem -> problem.contains("--layer"))) {
      problems.add("no --layer given: the image needs at least one directory");
    }
    if (references.isEmpty()) {
      problems.add("no REFERENCE given: name at least one image to push to");
    }
    if (!problems.isEmpty()) {
      throw new UsageException(String.join("\n", problems));
    }
    return Optional.of(
        new CliArguments(
            layers, references, tags, entrypoint, plainHttp, Optional.ofNullable(layerCache)));
  }

  private static Optional<LayerDirectory> layer(String value, List<String> problems) {
    int split = value.indexOf('=');
    Path directory = Path.of(split < 0 ? value : value.substring(0, split));
    if (!Files.isDirectory(directory)) {
      problems.add("--layer " + value + ": " + directory + " is not a directory");
      return Optional.empty();
    }
    String inImage;
    if (split >= 0) {
      inImage = value.substring(split + 1);
    } else {
      Path name = directory.toAbsolutePath().normalize().getFileName();
      inImage = "/" + (name == null ? "" : name.toString());
    }
    if (!inImage.startsWith("/")) {
      problems.add("--layer " + value + ": the path in the image must be absolute");
      return Optional.empty();
    }
    return Optional.of(new LayerDirectory(directory, AbsoluteUnixPath.get(inImage)));
  }
}
