package dev.fanout.maven;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.JavaContainerBuilder;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.api.buildplan.Port;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.ImageSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.model.Plugin;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * The image of a Maven project, described with jib-core's {@link JavaContainerBuilder} as users of
 * jib-maven-plugin know it: layers for dependencies, snapshot dependencies, the reactor's own
 * modules, resources and classes, and {@code java -cp /app/resources:/app/classes:/app/libs/* Main}
 * as the entrypoint. Describing it reads the project's files but opens no connection.
 */
final class ProjectImage {

  /** The base image when the POM names none: a JRE for the Java this plugin targets. */
  static final String DEFAULT_BASE_IMAGE = "eclipse-temurin:17-jre";

  /** A base image from a {@code docker save} tarball, written as jib-maven-plugin writes it. */
  static final String TAR_PREFIX = "tar://";

  private static final Pattern PORT = Pattern.compile("(\\d{1,5})(?:/(tcp|udp))?");

  /**
   * {@code os/architecture[/variant]}. Jib's {@link Platform} has no variant, so Fanout's core
   * takes one after the architecture ({@code new Platform("arm64/v8", "linux")}): Jib builds for
   * {@code arm64}, and the image index names {@code arm64} with variant {@code v8}.
   */
  private static final Pattern PLATFORM = Pattern.compile("([a-z0-9]+)/([a-z0-9_]+)(/[a-z0-9]+)?");

  private final MavenProject project;
  private final Set<String> reactorModules;
  private final PomCredentials credentials;
  private final Environment environment;

  /**
   * @param project the project whose image it is
   * @param reactor every project in the build, to tell the reactor's modules from downloaded jars
   * @param credentials turns {@code <from><credentials>} into a source
   * @param environment what credential sources read
   */
  ProjectImage(
      MavenProject project,
      List<MavenProject> reactor,
      PomCredentials credentials,
      Environment environment) {
    this.project = project;
    this.reactorModules = new LinkedHashSet<>();
    reactor.forEach(p -> reactorModules.add(p.getGroupId() + ":" + p.getArtifactId()));
    this.credentials = credentials;
    this.environment = environment;
  }

  /**
   * The image source, and a line saying what goes into it.
   *
   * @param image the POM's image parameters
   * @param needsBuildOutput true to report missing classes, jars or main class as problems (a
   *     push); false to only note them (a plan, which may run before {@code package})
   * @param problems receives every problem
   * @param notes receives what a plan should mention
   * @return the source and its summary, or empty when there are problems
   */
  Optional<Described> describe(
      ContainerParameters image,
      boolean needsBuildOutput,
      List<String> problems,
      List<String> notes) {
    if (!image.existing().given().isEmpty()) {
      return existingImage(image, problems);
    }
    List<String> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    String base =
        image.from() == null || isBlank(image.from().image)
            ? DEFAULT_BASE_IMAGE
            : image.from().image.trim();
    Optional<JavaContainerBuilder> java = base(base, image.from(), found);
    List<String> summary = new ArrayList<>();
    summary.add("project " + project.getGroupId() + ":" + project.getArtifactId() + " on " + base);
    List<Port> ports = ports(image.ports(), found);
    List<Platform> platforms = platforms(image.platforms(), found);
    if (!image.entrypoint().isEmpty()
        && (!image.jvmFlags().isEmpty() || image.mainClass() != null)) {
      found.add("<mainClass> and <jvmFlags> do not apply when <entrypoint> is set");
    }
    if (java.isEmpty() || !found.isEmpty()) {
      problems.addAll(found);
      return Optional.empty();
    }
    try {
      JavaContainerBuilder builder = java.get();
      // Jib's classpath follows the order of these calls: resources, classes, then the jars.
      addProjectOutput(builder, missing, summary);
      addDependencies(builder, missing, summary);
      if (image.entrypoint().isEmpty()) {
        Optional<String> mainClass = mainClass(image.mainClass());
        if (mainClass.isPresent()) {
          builder.setMainClass(mainClass.get()).addJvmFlags(image.jvmFlags());
          summary.add("main class " + mainClass.get());
        } else {
          missing.add(
              "no main class: set <mainClass>, or build the jar with a Main-Class in its manifest"
                  + " (mvn package fanout:push)");
        }
      }
      if (!missing.isEmpty()) {
        (needsBuildOutput ? problems : notes).addAll(missing);
        if (needsBuildOutput) {
          return Optional.empty();
        }
      }
      JibContainerBuilder container = builder.toContainerBuilder();
      if (!image.entrypoint().isEmpty()) {
        container.setEntrypoint(image.entrypoint());
        summary.add("entrypoint " + String.join(" ", image.entrypoint()));
      }
      if (!ports.isEmpty()) {
        container.setExposedPorts(new LinkedHashSet<>(ports));
      }
      if (!platforms.isEmpty()) {
        container.setPlatforms(new LinkedHashSet<>(platforms));
        summary.add(
            "platforms "
                + String.join(
                    ", ",
                    platforms.stream().map(p -> p.getOs() + "/" + p.getArchitecture()).toList()));
      }
      image.labels().forEach(container::addLabel);
      image.environment().forEach(container::addEnvironmentVariable);
      return Optional.of(new Described(ImageSource.jib(container), String.join(", ", summary)));
    } catch (IOException e) {
      problems.add("the project's files could not be read: " + e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<Described> existingImage(ContainerParameters image, List<String> problems) {
    boolean containerSettings =
        image.from() != null
            || image.mainClass() != null
            || !image.entrypoint().isEmpty()
            || !image.jvmFlags().isEmpty()
            || !image.ports().isEmpty()
            || !image.labels().isEmpty()
            || !image.environment().isEmpty()
            || !image.platforms().isEmpty();
    return new ExistingImages(credentials, environment)
        .describe(image.existing(), containerSettings, problems);
  }

  private Optional<JavaContainerBuilder> base(
      String base, FromParameters from, List<String> problems) {
    if (base.equals("scratch")) {
      return Optional.of(JavaContainerBuilder.from(ImageReference.scratch()));
    }
    if (base.startsWith(TAR_PREFIX)) {
      Path tar = project.getBasedir().toPath().resolve(base.substring(TAR_PREFIX.length()));
      if (!Files.isRegularFile(tar)) {
        problems.add("<from> " + base + ": " + tar + " is not a file");
        return Optional.empty();
      }
      return Optional.of(JavaContainerBuilder.from(TarImage.at(tar)));
    }
    ImageReference reference;
    try {
      reference = ImageReference.parse(base);
    } catch (InvalidImageReferenceException e) {
      problems.add("<from> " + base + " is not a valid image reference");
      return Optional.empty();
    }
    CredentialParameters given = from == null ? null : from.credentials;
    Optional<CredentialSource> source = credentials.of(given, base, "<from> " + base, problems);
    RegistryImage image = RegistryImage.named(reference);
    String host = reference.getRegistry();
    if (source.isPresent()) {
      image.addCredentialRetriever(source.get().jibRetriever(host, environment));
    } else {
      // As jib-maven-plugin does: Docker's config.json and its credential helpers.
      image.addCredentialRetriever(CredentialSource.dockerConfig().jibRetriever(host, environment));
    }
    return Optional.of(JavaContainerBuilder.from(image));
  }

  private void addDependencies(
      JavaContainerBuilder builder, List<String> missing, List<String> summary) throws IOException {
    List<Path> releases = new ArrayList<>();
    List<Path> snapshots = new ArrayList<>();
    List<Path> modules = new ArrayList<>();
    for (Artifact artifact : project.getArtifacts()) {
      if (!artifact.getArtifactHandler().isAddedToClasspath()) {
        continue;
      }
      String id = artifact.getGroupId() + ":" + artifact.getArtifactId();
      Path file = artifact.getFile() == null ? null : artifact.getFile().toPath();
      if (file == null || !Files.isRegularFile(file)) {
        missing.add(
            "dependency "
                + id
                + " is not a jar yet"
                + (file == null ? "" : " (" + file + ")")
                + ": package it first (mvn package fanout:push)");
      } else if (reactorModules.contains(id)) {
        modules.add(file);
      } else if (artifact.isSnapshot()) {
        snapshots.add(file);
      } else {
        releases.add(file);
      }
    }
    builder.addDependencies(releases);
    builder.addSnapshotDependencies(snapshots);
    builder.addProjectDependencies(modules);
    summary.add(
        count(releases.size(), "dependency", "dependencies")
            + ", "
            + count(snapshots.size(), "snapshot dependency", "snapshot dependencies")
            + ", "
            + count(modules.size(), "reactor module", "reactor modules"));
  }

  private void addProjectOutput(
      JavaContainerBuilder builder, List<String> missing, List<String> summary) throws IOException {
    Path classes = Path.of(project.getBuild().getOutputDirectory());
    if (!Files.isDirectory(classes)) {
      missing.add(classes + " does not exist: compile the project first (mvn package fanout:push)");
      return;
    }
    builder.addResources(classes, path -> !isClassFile(path));
    builder.addClasses(classes, ProjectImage::isClassFile);
    summary.add("resources and classes from " + project.getBasedir().toPath().relativize(classes));
  }

  private static boolean isClassFile(Path path) {
    return path.getFileName().toString().endsWith(".class");
  }

  /** The configured main class, else the jar's manifest, else maven-jar-plugin's configuration. */
  private Optional<String> mainClass(String configured) throws IOException {
    if (!isBlank(configured)) {
      return Optional.of(configured.trim());
    }
    Optional<Path> jar = projectJar();
    if (jar.isPresent()) {
      try (JarFile file = new JarFile(jar.get().toFile())) {
        Manifest manifest = file.getManifest();
        String value =
            manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
        if (!isBlank(value)) {
          return Optional.of(value.trim());
        }
      }
    }
    return jarPluginMainClass();
  }

  private Optional<Path> projectJar() {
    Artifact artifact = project.getArtifact();
    if (artifact != null && artifact.getFile() != null && artifact.getFile().isFile()) {
      return Optional.of(artifact.getFile().toPath());
    }
    Path built =
        Path.of(project.getBuild().getDirectory(), project.getBuild().getFinalName() + ".jar");
    return Files.isRegularFile(built) ? Optional.of(built) : Optional.empty();
  }

  private Optional<String> jarPluginMainClass() {
    Plugin jarPlugin = project.getPlugin("org.apache.maven.plugins:maven-jar-plugin");
    if (jarPlugin == null || !(jarPlugin.getConfiguration() instanceof Xpp3Dom configuration)) {
      return Optional.empty();
    }
    Xpp3Dom archive = configuration.getChild("archive");
    Xpp3Dom manifest = archive == null ? null : archive.getChild("manifest");
    Xpp3Dom mainClass = manifest == null ? null : manifest.getChild("mainClass");
    return mainClass == null || isBlank(mainClass.getValue())
        ? Optional.empty()
        : Optional.of(mainClass.getValue().trim());
  }

  private static List<Port> ports(List<String> ports, List<String> problems) {
    List<Port> parsed = new ArrayList<>();
    for (String port : ports) {
      Matcher matcher = PORT.matcher(port == null ? "" : port.trim());
      int number = matcher.matches() ? Integer.parseInt(matcher.group(1)) : 0;
      if (number < 1 || number > 65535) {
        problems.add(
            "<ports>: '" + port + "' is not a port such as 8080, 8080/tcp or 53/udp (1 to 65535)");
      } else {
        parsed.add(Port.parseProtocol(number, matcher.group(2) == null ? "tcp" : matcher.group(2)));
      }
    }
    return parsed;
  }

  private static List<Platform> platforms(List<String> platforms, List<String> problems) {
    List<Platform> parsed = new ArrayList<>();
    for (String platform : platforms) {
      Matcher matcher = PLATFORM.matcher(platform == null ? "" : platform.trim());
      if (matcher.matches()) {
        String variant = matcher.group(3) == null ? "" : matcher.group(3);
        parsed.add(new Platform(matcher.group(2) + variant, matcher.group(1)));
      } else {
        problems.add(
            "<platforms>: '"
                + platform
                + "' is not os/architecture[/variant] such as linux/amd64, linux/arm64/v8 or"
                + " linux/arm/v7");
      }
    }
    if (parsed.size() == 1 && parsed.get(0).getArchitecture().contains("/")) {
      // Only an image index names platforms; Jib's image config has no field for a variant.
      problems.add(
          "<platforms>: the variant of "
              + platforms.get(0).trim()
              + " would be lost, as a single image names no platform: build two platforms or"
              + " more, or leave the variant out");
    }
    return parsed;
  }

  private static String count(int count, String one, String many) {
    return count + " " + (count == 1 ? one : many);
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  /**
   * A described image.
   *
   * @param source what the pipeline builds or copies
   * @param summary what goes into it, for the build log
   */
  record Described(ImageSource source, String summary) {}
}
