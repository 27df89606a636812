package dev.fanout.internal;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.spi.EndpointSafety;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Makes and checks the loader of {@code ImageSource.registryImage(...)}, for the public API. */
public final class RegistryCopies {

  private RegistryCopies() {}

  /**
   * A pull credential's source and the variables it reads.
   *
   * @param credentials where the credential comes from
   * @param environment what it reads
   */
  public record Pull(CredentialSource credentials, Environment environment) {}

  /**
   * The loader that copies an image by digest.
   *
   * @param source the image
   * @param credentials the pull credential's source, or empty for Docker's {@code config.json}
   * @param plainHttp whether the source is served over plain HTTP
   * @return the loader
   */
  public static ImageLoader loader(
      ImageReference source, Optional<Pull> credentials, boolean plainHttp) {
    return new RegistryCopy(source, credentials, plainHttp);
  }

  /**
   * What is wrong with a copy, found without I/O.
   *
   * @param source the image
   * @param credentials the pull credential's source, if one was named
   * @param plainHttp whether the source is served over plain HTTP
   * @return the problems, each a sentence
   */
  public static List<String> problems(
      ImageReference source, Optional<Pull> credentials, boolean plainHttp) {
    List<String> problems = new ArrayList<>();
    if (plainHttp
        && credentials.isPresent()
        && !EndpointSafety.credentialsMayTravel(source.getRegistry(), true)) {
      problems.add(
          "image source: "
              + EndpointSafety.plainHttpProblem("the pull credential", source.getRegistry()));
    }
    return problems;
  }
}
