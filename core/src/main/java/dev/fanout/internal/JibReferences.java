package dev.fanout.internal;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.util.Locale;
import java.util.Optional;

/** Parses and checks image references and tags with Jib's own grammar, so Fanout and Jib agree. */
public final class JibReferences {

  private JibReferences() {}

  /**
   * What is wrong with a reference, if anything.
   *
   * @param reference the reference as the user wrote it
   * @return a sentence naming the problem, or empty when it parses
   */
  public static Optional<String> problem(String reference) {
    if (reference == null || reference.isBlank()) {
      return Optional.of("the image reference is empty");
    }
    if (!name(reference).equals(name(reference).toLowerCase(Locale.ROOT))) {
      return Optional.of("'" + reference + "' is not a valid image reference: names are lower case");
    }
    try {
      ImageReference.parse(reference);
      return Optional.empty();
    } catch (InvalidImageReferenceException | RuntimeException e) {
      return Optional.of(
          "'"
              + reference
              + "' is not a valid image reference"
              + " (registry/repository[:tag]; a repository is lower case letters, digits and . _ - /)");
    }
  }

  /**
   * The name part of a reference, without tag or digest. Docker would read an upper-case first
   * component as a registry host ({@code UPPER/case}); that is almost always a mistyped repository,
   * so Fanout insists on lower case throughout the name.
   */
  static String name(String reference) {
    String name = reference;
    int at = name.indexOf('@');
    if (at >= 0) {
      name = name.substring(0, at);
    }
    int colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) {
      name = name.substring(0, colon);
    }
    return name;
  }

  /**
   * Parses a reference already checked with {@link #problem(String)}.
   *
   * @param reference a valid reference
   * @return the parsed reference
   */
  public static ImageReference parse(String reference) {
    try {
      return ImageReference.parse(reference);
    } catch (InvalidImageReferenceException e) {
      throw new IllegalArgumentException(problem(reference).orElse(e.getMessage()), e);
    }
  }

  /**
   * What is wrong with a tag, if anything.
   *
   * @param tag the tag
   * @return a sentence naming the problem, or empty when the tag is valid
   */
  public static Optional<String> tagProblem(String tag) {
    if (tag != null && ImageReference.isValidTag(tag)) {
      return Optional.empty();
    }
    return Optional.of(
        "'"
            + tag
            + "' is not a valid tag (1 to 128 of letters, digits, _ . -; not starting with . or -)");
  }
}
