package dev.fanout.maven;

import java.util.List;
import java.util.Map;

/**
 * What the POM says about the image, gathered from the mojo's parameters.
 *
 * @param from the base image, or null for the default
 * @param mainClass the main class, or null to read it from the jar's manifest
 * @param entrypoint the entrypoint instead of Jib's {@code java -cp ... Main}, or empty
 * @param jvmFlags flags for {@code java}, or empty
 * @param ports ports to expose ({@code 8080}, {@code 8080/tcp}, {@code 53/udp}), or empty
 * @param labels labels, or empty
 * @param environment environment variables, or empty
 * @param platforms {@code os/architecture[/variant]} of each platform to build, or empty for Jib's
 *     default
 * @param existing an image to push as it is instead of building the project's; {@link
 *     ExistingImageParameters#NONE} when null
 */
record ContainerParameters(
    FromParameters from,
    String mainClass,
    List<String> entrypoint,
    List<String> jvmFlags,
    List<String> ports,
    Map<String, String> labels,
    Map<String, String> environment,
    List<String> platforms,
    ExistingImageParameters existing) {

  ContainerParameters {
    entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
    jvmFlags = jvmFlags == null ? List.of() : List.copyOf(jvmFlags);
    ports = ports == null ? List.of() : List.copyOf(ports);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    environment = environment == null ? Map.of() : Map.copyOf(environment);
    platforms = platforms == null ? List.of() : List.copyOf(platforms);
    existing = existing == null ? ExistingImageParameters.NONE : existing;
  }
}
