package dev.fanout.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import dev.fanout.dockerhub.DockerHubBackendProvider;
import dev.fanout.ecr.EcrBackendProvider;
import dev.fanout.gar.GarBackendProvider;
import dev.fanout.testkit.LocalRegistry;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The API boundary seen from outside fanout-core: the command line, the three registry backends and
 * the testkit use Fanout's API ({@code dev.fanout}, {@code dev.fanout.spi}, {@code
 * dev.fanout.report}) and never a type of {@code dev.fanout.internal}, which may change in any
 * release. Core's own side (no package cycle) is core's ApiBoundaryTest.
 */
@DisplayName("The command line, the backends and the testkit")
class ApiBoundaryTest {

  /** One class of each artifact checked: its classes are read from where that class was loaded. */
  private static final List<Class<?>> ARTIFACTS =
      List.of(
          FanoutCli.class,
          DockerHubBackendProvider.class,
          EcrBackendProvider.class,
          GarBackendProvider.class,
          LocalRegistry.class);

  @Test
  @DisplayName("use no type of dev.fanout.internal")
  void noInternalTypes() {
    JavaClasses classes =
        new ClassFileImporter()
            .importLocations(
                ARTIFACTS.stream()
                    .map(
                        type ->
                            Location.of(type.getProtectionDomain().getCodeSource().getLocation()))
                    .collect(Collectors.toSet()));
    Set<String> packages =
        classes.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
    for (Class<?> artifact : ARTIFACTS) {
      assertTrue(
          packages.contains(artifact.getPackageName()),
          () -> artifact.getPackageName() + " was not read: " + packages);
    }

    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.fanout.internal..")
        .because("dev.fanout.internal is fanout-core's own, not API")
        .check(classes);
  }
}
