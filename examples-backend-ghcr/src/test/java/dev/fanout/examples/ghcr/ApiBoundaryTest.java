package dev.fanout.examples.ghcr;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.DisplayName;

/**
 * The API boundary seen from outside fanout-core: a backend, this example as much as any other,
 * uses Fanout's API ({@code dev.fanout}, {@code dev.fanout.spi}, {@code dev.fanout.report}) and
 * never a type of {@code dev.fanout.internal}, which may change in any release. ArchUnit fails the
 * rule, too, when it finds no class to check.
 */
@DisplayName("The example backend")
@AnalyzeClasses(
    packages = "dev.fanout.examples.ghcr",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ApiBoundaryTest {

  @ArchTest
  static final ArchRule NO_INTERNAL_TYPES =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.fanout.internal..")
          .because("dev.fanout.internal is fanout-core's own, not API");
}
