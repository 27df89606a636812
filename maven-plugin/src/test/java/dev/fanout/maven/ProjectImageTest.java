package dev.fanout.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.buildplan.ContainerBuildPlan;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.LayerObject;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import dev.fanout.Environment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Settings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectImageTest {

  @TempDir Path folder;

  @Test
  @DisplayName(
      "release jars, snapshot jars and the reactor's modules get Jib's layers, and the classpath"
          + " is resources, classes, then the jars, with the main class from the jar's manifest")
  void layersAndEntrypoint() throws IOException {
    MavenProject project = project();
    Files.createDirectories(folder.resolve("target/classes/a"));
    Files.write(folder.resolve("target/classes/a/Main.class"), new byte[] {1});
    Files.writeString(folder.resolve("target/classes/app.properties"), "x=1");
    writeJar(folder.resolve("target/app-1.jar"), "a.Main");
    Set<Artifact> artifacts = new LinkedHashSet<>();
    artifacts.add(artifact("org.example", "release", "1.0", jar("release-1.0.jar")));
    artifacts.add(artifact("org.example", "snap", "1.0-SNAPSHOT", jar("snap-1.0-SNAPSHOT.jar")));
    artifacts.add(artifact("g", "lib", "1", jar("lib-1.jar")));
    project.setArtifacts(artifacts);
    MavenProject lib = new MavenProject();
    lib.setGroupId("g");
    lib.setArtifactId("lib");
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();

    Optional<ProjectImage.Described> described =
        image(project, List.of(project, lib))
            .describe(parameters(null, List.of()), true, problems, notes);

    assertEquals(List.of(), problems);
    assertEquals(List.of(), notes);
    ContainerBuildPlan plan =
        described.orElseThrow().source().builder().get().toContainerBuildPlan();
    assertEquals(
        Map.of(
            "resources", List.of("/app/resources/app.properties"),
            "classes", List.of("/app/classes/a/Main.class"),
            "dependencies", List.of("/app/libs/release-1.0.jar"),
            "snapshot dependencies", List.of("/app/libs/snap-1.0-SNAPSHOT.jar"),
            "project dependencies", List.of("/app/libs/lib-1.jar")),
        files(plan));
    assertEquals(
        List.of("java", "-cp", "/app/resources:/app/classes:/app/libs/*", "a.Main"),
        plan.getEntrypoint());
    assertEquals(Instant.EPOCH, plan.getCreationTime());
  }

  @Test
  @DisplayName("missing classes and main class are problems for a push and only notes for a plan")
  void missingBuildOutput() {
    List<String> pushProblems = new ArrayList<>();
    List<String> planProblems = new ArrayList<>();
    List<String> planNotes = new ArrayList<>();
    MavenProject project = project();

    Optional<ProjectImage.Described> push =
        image(project, List.of(project))
            .describe(parameters(null, List.of()), true, pushProblems, new ArrayList<>());
    Optional<ProjectImage.Described> plan =
        image(project, List.of(project))
            .describe(parameters(null, List.of()), false, planProblems, planNotes);

    assertTrue(push.isEmpty());
    assertEquals(2, pushProblems.size(), pushProblems.toString());
    assertTrue(pushProblems.get(0).contains("does not exist: compile the project first"));
    assertTrue(pushProblems.get(1).startsWith("no main class"));
    assertTrue(plan.isPresent());
    assertEquals(List.of(), planProblems);
    assertEquals(pushProblems, planNotes);
  }

  @Test
  @DisplayName(
      "a docker archive is pushed as it is: image settings beside it, or a missing file, are"
          + " problems, and bad ports are reported all at once")
  void dockerArchiveAndPorts() throws IOException {
    MavenProject project = project();
    List<String> problems = new ArrayList<>();
    Path archive = Files.writeString(folder.resolve("app.tar"), "not read while planning");

    ContainerParameters withMainClass =
        new ContainerParameters(
            null, "a.Main", null, null, null, null, null, null, archive(archive));
    image(project, List.of(project)).describe(withMainClass, true, problems, new ArrayList<>());
    ContainerParameters missing =
        new ContainerParameters(
            null, null, null, null, null, null, null, null, archive(folder.resolve("none.tar")));
    image(project, List.of(project)).describe(missing, true, problems, new ArrayList<>());
    Optional<ProjectImage.Described> plain =
        image(project, List.of(project))
            .describe(
                new ContainerParameters(
                    null, null, null, null, null, null, null, null, archive(archive)),
                true,
                problems,
                new ArrayList<>());
    image(project, List.of(project))
        .describe(
            parameters(null, List.of("http", "70000", "53/udp")),
            true,
            problems,
            new ArrayList<>());

    assertEquals(
        List.of(
            "<dockerArchive> is pushed as it is: <from>, <mainClass>, <entrypoint>, <jvmFlags>,"
                + " <ports>, <labels>, <environment> and <platforms> do not apply to it",
            "<dockerArchive> " + folder.resolve("none.tar") + " is not a file",
            "<ports>: 'http' is not a port such as 8080, 8080/tcp or 53/udp (1 to 65535)",
            "<ports>: '70000' is not a port such as 8080, 8080/tcp or 53/udp (1 to 65535)"),
        problems);
    assertEquals("docker archive " + archive, plain.orElseThrow().summary());
  }

  @Test
  @DisplayName(
      "<platforms> become the Jib build's platforms, in their order, a variant after the"
          + " architecture; anything but os/architecture[/variant] is a problem, and so is a"
          + " variant on a single platform, which has no index to name it; each one reported")
  void platforms() throws IOException {
    MavenProject project = project();
    Files.createDirectories(folder.resolve("target/classes"));
    FromParameters from = new FromParameters();
    from.image = "127.0.0.1:5000/base/java:17";
    List<String> problems = new ArrayList<>();

    Optional<ProjectImage.Described> described =
        image(project, List.of(project))
            .describe(
                platforms(from, List.of("linux/arm64/v8", " linux/amd64 ", "linux/arm/v7")),
                true,
                problems,
                new ArrayList<>());
    image(project, List.of(project))
        .describe(
            platforms(from, List.of("linux/arm64/v8/x", "amd64")),
            true,
            problems,
            new ArrayList<>());
    image(project, List.of(project))
        .describe(platforms(from, List.of("linux/arm/v7")), true, problems, new ArrayList<>());

    assertEquals(
        List.of(
            "<platforms>: 'linux/arm64/v8/x' is not os/architecture[/variant] such as linux/amd64,"
                + " linux/arm64/v8 or linux/arm/v7",
            "<platforms>: 'amd64' is not os/architecture[/variant] such as linux/amd64,"
                + " linux/arm64/v8 or linux/arm/v7",
            "<platforms>: the variant of linux/arm/v7 would be lost, as a single image names no"
                + " platform: build two platforms or more, or leave the variant out"),
        problems);
    ContainerBuildPlan plan =
        described.orElseThrow().source().builder().get().toContainerBuildPlan();
    assertEquals(
        List.of(
            new Platform("arm64/v8", "linux"),
            new Platform("amd64", "linux"),
            new Platform("arm/v7", "linux")),
        List.copyOf(plan.getPlatforms()));
    assertTrue(
        described
            .orElseThrow()
            .summary()
            .endsWith("platforms linux/arm64/v8, linux/amd64, linux/arm/v7"),
        described.orElseThrow().summary());
  }

  private MavenProject project() {
    MavenProject project = new MavenProject();
    project.setGroupId("g");
    project.setArtifactId("app");
    project.setVersion("1");
    project.setFile(folder.resolve("pom.xml").toFile());
    project.getBuild().setDirectory(folder.resolve("target").toString());
    project.getBuild().setOutputDirectory(folder.resolve("target/classes").toString());
    project.getBuild().setFinalName("app-1");
    return project;
  }

  private static ProjectImage image(MavenProject project, List<MavenProject> reactor) {
    PomCredentials credentials = new PomCredentials(new SettingsServers(new Settings(), null));
    return new ProjectImage(project, reactor, credentials, Environment.of(Map.of()));
  }

  private static ContainerParameters parameters(String mainClass, List<String> ports) {
    FromParameters from = new FromParameters();
    from.image = "scratch";
    return new ContainerParameters(from, mainClass, null, null, ports, null, null, null, null);
  }

  private static ContainerParameters platforms(FromParameters from, List<String> platforms) {
    return new ContainerParameters(from, "a.Main", null, null, null, null, null, platforms, null);
  }

  private static ExistingImageParameters archive(Path archive) {
    return new ExistingImageParameters(archive.toFile(), null, null, null);
  }

  private Path jar(String name) throws IOException {
    Path jar = folder.resolve("repo").resolve(name);
    Files.createDirectories(jar.getParent());
    return Files.write(jar, new byte[] {1});
  }

  private static Artifact artifact(String group, String id, String version, Path file) {
    DefaultArtifactHandler handler = new DefaultArtifactHandler("jar");
    handler.setAddedToClasspath(true);
    DefaultArtifact artifact =
        new DefaultArtifact(group, id, version, "compile", "jar", null, handler);
    artifact.setFile(file.toFile());
    return artifact;
  }

  private static void writeJar(Path jar, String mainClass) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
    // The manifest is all the test needs: the jar has no entries.
    new JarOutputStream(Files.newOutputStream(jar), manifest).close();
  }

  private static Map<String, List<String>> files(ContainerBuildPlan plan) {
    Map<String, List<String>> files = new LinkedHashMap<>();
    for (LayerObject layer : plan.getLayers()) {
      FileEntriesLayer entries = (FileEntriesLayer) layer;
      files.put(
          entries.getName(),
          entries.getEntries().stream()
              .filter(entry -> !Files.isDirectory(entry.getSourceFile()))
              .map(FileEntry::getExtractionPath)
              .map(Object::toString)
              .toList());
    }
    return files;
  }
}
