package dev.fanout;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.fanout.spi.RegistryBackendProvider;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Core's side of the API boundary: no package cycle among core's packages, the root package
 * included, except the two named below. (That code outside core uses no {@code dev.fanout.internal}
 * type is checked by the modules outside core: cli's, maven-plugin's and examples-backend-ghcr's
 * ApiBoundaryTest.)
 */
@DisplayName("Core's packages")
class ApiBoundaryTest {

  /** Core's own classes, from where PipelineBuilder was loaded: target/classes or the jar. */
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .importLocations(
              Set.of(
                  Location.of(
                      PipelineBuilder.class.getProtectionDomain().getCodeSource().getLocation())));

  /** One slice per package, {@code dev.fanout} itself as much as any package under it. */
  private static final SliceAssignment EACH_PACKAGE =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
          return SliceIdentifier.of(javaClass.getPackageName());
        }

        @Override
        public String getDescription() {
          return "each package of fanout-core, dev.fanout included";
        }
      };

  @Test
  @DisplayName("form no cycle but the two allowed while they are broken up: the entry points")
  void noPackageCycle() {
    Set<String> packages = CORE.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
    assertTrue(
        packages.containsAll(
            Set.of("dev.fanout", "dev.fanout.spi", "dev.fanout.report", "dev.fanout.internal")),
        () -> "core's classes were not all imported: " + packages);

    slices()
        .assignedFrom(EACH_PACKAGE)
        .should()
        .beFreeOfCycles()
        // ALLOWED CYCLE 1, dev.fanout <-> dev.fanout.internal: the engine (internal) speaks the
        // API's types (Plan, TargetResult, RunListener, ...), and the API's two entry points reach
        // into it: PipelineBuilder plans and runs with Planner and PushEngine, ImageSource makes
        // the loaders of OCI layouts, archives and registry images. Breaking it needs the engine
        // behind an interface of the API or moved into dev.fanout; until then only these two
        // classes may use dev.fanout.internal from dev.fanout. Any other class that does closes
        // a cycle this rule reports.
        .ignoreDependency(
            belongToAnyOf(PipelineBuilder.class, ImageSource.class),
            describe(
                "a type of dev.fanout.internal or below",
                target -> target.getPackageName().startsWith("dev.fanout.internal")))
        // ALLOWED CYCLE 2, dev.fanout <-> dev.fanout.spi: the SPI's types take the API's
        // (Environment, RetryPolicy, CredentialSource, RegistryCredential), and
        // PipelineBuilder.backend(RegistryBackendProvider) registers a backend by hand. Only
        // that method's type is allowed.
        .ignoreDependency(
            belongToAnyOf(PipelineBuilder.class), belongToAnyOf(RegistryBackendProvider.class))
        .check(CORE);
  }

  @Test
  @DisplayName("keep the SPI and the reporters off the engine's packages but for scrubbing text")
  void exportedPackagesUseOnlyTextHelpers() {
    noClasses()
        .that(resideInAPackage("dev.fanout.spi..").or(resideInAPackage("dev.fanout.report..")))
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.fanout.internal..")
                .and(
                    describe(
                        "are not the text and secret scrubbers",
                        target ->
                            !target.getPackageName().equals("dev.fanout.internal.text")
                                && !target
                                    .getPackageName()
                                    .equals("dev.fanout.internal.credentials"))))
        .check(CORE);
  }
}
