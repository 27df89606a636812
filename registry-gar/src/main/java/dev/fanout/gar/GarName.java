package dev.fanout.gar;

import com.google.cloud.tools.jib.api.ImageReference;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image name in Artifact Registry, taken apart into what the Artifact Registry API names: the
 * location, the project, the Docker repository and the image inside it.
 *
 * <p>Two forms exist. {@code LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE} names the repository
 * in its path. {@code gcr.io/PROJECT/IMAGE} (and its regional hosts) is served, since Container
 * Registry shut down in March 2025, by a repository named after the host itself ({@code gcr.io},
 * {@code eu.gcr.io}, ...) in the multi-region the host stands for.
 *
 * @param host the registry host as written
 * @param location the repository's location, for example {@code europe} or {@code us-central1}
 * @param project the project id; a domain-scoped project is written {@code example.com:project}
 * @param repository the repository id
 * @param image the image path inside the repository
 */
record GarName(String host, String location, String project, String repository, String image) {

  /**
   * {@code LOCATION-docker.pkg.dev}: the location is the host's first label, less {@code -docker}.
   */
  private static final Pattern DOCKER_PKG_DEV = Pattern.compile("([a-z0-9-]+)-docker\\.pkg\\.dev");

  /**
   * The gcr.io hosts that take pushes and the location of their repository (Google's "gcr.io
   * repositories" mapping). Other {@code *.gcr.io} hosts, such as the read-only {@code
   * mirror.gcr.io}, are not registries one pushes to.
   */
  private static final Map<String, String> GCR_LOCATIONS =
      Map.of("gcr.io", "us", "us.gcr.io", "us", "eu.gcr.io", "europe", "asia.gcr.io", "asia");

  /** The form of a GAR name, for messages. */
  static final String FORM =
      "LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE, or gcr.io/PROJECT/IMAGE (also us.gcr.io,"
          + " eu.gcr.io, asia.gcr.io)";

  /**
   * Takes a repository reference apart.
   *
   * @param reference the target's repository, without tag
   * @return the name, or a sentence saying why it is not an Artifact Registry name
   */
  static Parsed parse(ImageReference reference) {
    String host = reference.getRegistry();
    List<String> segments = Arrays.asList(reference.getRepository().split("/"));
    Matcher pkgDev = DOCKER_PKG_DEV.matcher(host);
    boolean gcr = GCR_LOCATIONS.containsKey(host);
    if (!pkgDev.matches() && !gcr) {
      return Parsed.problem(
          host + " is not an Artifact Registry host that takes pushes (" + FORM + ")");
    }
    // A domain-scoped project (example.com:acme) is written with a slash in image paths:
    // example.com/acme. A plain project id never holds a dot, so a dot marks the domain part.
    int projectSegments = segments.get(0).contains(".") ? 2 : 1;
    int needed = projectSegments + (gcr ? 1 : 2);
    if (segments.size() < needed) {
      return Parsed.problem(
          "'"
              + host
              + "/"
              + reference.getRepository()
              + "' names no image inside a repository ("
              + FORM
              + ")");
    }
    String project = String.join(":", segments.subList(0, projectSegments));
    if (gcr) {
      return Parsed.of(
          new GarName(
              host,
              GCR_LOCATIONS.get(host),
              project,
              host,
              String.join("/", segments.subList(projectSegments, segments.size()))));
    }
    return Parsed.of(
        new GarName(
            host,
            pkgDev.group(1),
            project,
            segments.get(projectSegments),
            String.join("/", segments.subList(projectSegments + 1, segments.size()))));
  }

  /**
   * The repository's resource name in the Artifact Registry API.
   *
   * @return {@code projects/P/locations/L/repositories/R}
   */
  String repositoryResource() {
    return parentResource() + "/repositories/" + repository;
  }

  /**
   * The resource name of the location that holds the repository.
   *
   * @return {@code projects/P/locations/L}
   */
  String parentResource() {
    return "projects/" + project + "/locations/" + location;
  }

  /**
   * The repository for people: id, project and location.
   *
   * @return for example "Artifact Registry repository 'images' (project acme, location europe)"
   */
  String describeRepository() {
    return "Artifact Registry repository '"
        + repository
        + "' (project "
        + project
        + ", location "
        + location
        + ")";
  }

  /**
   * The gcloud command that creates the repository.
   *
   * @return the command
   */
  String createCommand() {
    return "gcloud artifacts repositories create "
        + repository
        + " --repository-format=docker --location="
        + location
        + " --project="
        + project;
  }

  /**
   * The gcloud command that lets a principal push to the repository.
   *
   * @param member the IAM member, for example {@code
   *     serviceAccount:ci@acme.iam.gserviceaccount.com}
   * @return the command
   */
  String grantWriterCommand(String member) {
    return "gcloud artifacts repositories add-iam-policy-binding "
        + repository
        + " --location="
        + location
        + " --project="
        + project
        + " --member="
        + member
        + " --role="
        + GarBackend.WRITER_ROLE;
  }

  /**
   * A parse result: a name, or why there is none.
   *
   * @param name the name
   * @param problem the problem
   */
  record Parsed(Optional<GarName> name, Optional<String> problem) {
    static Parsed of(GarName name) {
      return new Parsed(Optional.of(name), Optional.empty());
    }

    static Parsed problem(String problem) {
      return new Parsed(Optional.empty(), Optional.of(problem));
    }
  }
}
