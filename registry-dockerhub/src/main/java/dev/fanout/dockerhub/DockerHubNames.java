package dev.fanout.dockerhub;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.fanout.spi.KnownRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How Docker Hub writes repository names, and the rules Docker Hub adds to the OCI grammar (which
 * core and Jib already check: lower case, separators).
 */
final class DockerHubNames {

  /**
   * The host Fanout uses for Docker Hub in plans, reports and pushes. Jib's {@code ImageReference}
   * turns {@code docker.io} into this host whatever Fanout does, so it is the one spelling every
   * Docker Hub name can have; the other aliases ({@code index.docker.io}, {@code
   * registry.hub.docker.com}) are folded into it so that one repository has one name.
   */
  static final String REGISTRY = "registry-1.docker.io";

  /** What people write for Docker Hub; used in messages. */
  static final String DISPLAY_HOST = "docker.io";

  /**
   * The namespace of Docker Official Images: {@code app} means {@code library/app}. Only Docker
   * publishes there, so a push to it is refused.
   */
  static final String OFFICIAL_NAMESPACE = "library";

  /**
   * A namespace (Docker ID or organization): Docker IDs are 4 to 30 lower-case letters and digits
   * (docs.docker.com/accounts/general-faqs); organization names follow suit, though older ones can
   * be shorter or hold {@code -} or {@code _}. Fanout rejects only what Docker Hub can never
   * accept: a dot, more than 30 characters, a separator at either end.
   */
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]+(?:[-_]+[a-z0-9]+)*");

  /** The longest namespace; see {@link #NAMESPACE}. */
  private static final int MAX_NAMESPACE_LENGTH = 30;

  /**
   * A repository name within a namespace: 2 to 255 lower-case letters, digits, {@code -} and
   * {@code _} (docs.docker.com/docker-hub/repos/create); no dots, unlike the OCI grammar.
   */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:[-_]+[a-z0-9]+)*");

  /** The shortest repository name; see {@link #NAME}. */
  private static final int MIN_NAME_LENGTH = 2;

  /** The longest repository name; see {@link #NAME}. */
  private static final int MAX_NAME_LENGTH = 255;

  private DockerHubNames() {}

  /**
   * Whether a host is Docker Hub under any of its names.
   *
   * @param host a registry host
   * @return true for docker.io, index.docker.io, registry-1.docker.io, registry.hub.docker.com
   */
  static boolean isDockerHub(String host) {
    return KnownRegistry.DOCKER_HUB.matches(host);
  }

  /**
   * The canonical form of a Docker Hub reference: host {@value #REGISTRY}, and {@code library/}
   * before a one-part repository. Jib adds {@code library/} only for references written without a
   * host ({@code app}), not for {@code docker.io/app} or {@code index.docker.io/app}; this adds it
   * for all of them, as the Docker CLI does.
   *
   * @param reference a reference on any Docker Hub host
   * @return the reference on {@value #REGISTRY}, with its tag or digest kept
   */
  static ImageReference normalize(ImageReference reference) {
    String repository = reference.getRepository();
    if (repository.indexOf('/') < 0) {
      repository = OFFICIAL_NAMESPACE + "/" + repository;
    }
    return ImageReference.of(
        REGISTRY, repository, reference.getTag().orElse(null), reference.getDigest().orElse(null));
  }

  /**
   * The name as people write it: {@code docker.io/acme/app}.
   *
   * @param repository a normalised repository, such as {@code acme/app}
   * @return the name with Docker Hub's usual host
   */
  static String display(String repository) {
    return DISPLAY_HOST + "/" + repository;
  }

  /**
   * What Docker Hub would refuse in a repository name, found without I/O.
   *
   * @param repository a normalised repository, such as {@code acme/app}
   * @return one sentence per problem, naming it and the rule; empty when Docker Hub accepts it
   */
  static List<String> problems(String repository) {
    List<String> problems = new ArrayList<>();
    String name = display(repository);
    String[] parts = repository.split("/");
    if (parts.length != 2) {
      problems.add(
          name
              + " has "
              + parts.length
              + " path components; Docker Hub repositories are exactly <namespace>/<name>,"
              + " for example docker.io/acme/app");
      return problems;
    }
    String namespace = parts[0];
    String repositoryName = parts[1];
    if (namespace.equals(OFFICIAL_NAMESPACE)) {
      problems.add(
          name
              + " is in library/, the namespace of Docker Official Images, where only Docker"
              + " publishes (a name without a namespace, such as 'app', means library/app);"
              + " push to your Docker ID or organization instead, for example docker.io/<your"
              + " Docker ID>/"
              + repositoryName);
    } else if (namespace.length() > MAX_NAMESPACE_LENGTH
        || !NAMESPACE.matcher(namespace).matches()) {
      problems.add(
          name
              + ": the namespace '"
              + namespace
              + "' is not a Docker ID or organization name (at most "
              + MAX_NAMESPACE_LENGTH
              + " lower-case letters and digits, with - or _ only between them; no dots)");
    }
    if (repositoryName.length() < MIN_NAME_LENGTH
        || repositoryName.length() > MAX_NAME_LENGTH
        || !NAME.matcher(repositoryName).matches()) {
      problems.add(
          name
              + ": the repository name '"
              + repositoryName
              + "' is not one Docker Hub accepts ("
              + MIN_NAME_LENGTH
              + " to "
              + MAX_NAME_LENGTH
              + " lower-case letters, digits, - and _; no dots)");
    }
    return problems;
  }
}
