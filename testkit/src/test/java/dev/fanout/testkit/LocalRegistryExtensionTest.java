package dev.fanout.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("LocalRegistryExtension")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalRegistryExtensionTest {

  @RegisterExtension
  static final LocalRegistryExtension shared = LocalRegistryExtension.plain();

  @RegisterExtension
  final LocalRegistryExtension perTest = LocalRegistryExtension.withBasicAuth("alice", "secret");

  private static final List<Path> sharedFolders = new ArrayList<>();
  private static final List<Path> perTestFolders = new ArrayList<>();

  @Test
  @Order(1)
  @DisplayName("a static field and an instance field both give a running registry inside a test")
  void bothRunInsideATest() {
    sharedFolders.add(shared.registry().folder());
    perTestFolders.add(perTest.registry().folder());

    assertTrue(LocalRegistryTest.accepts(shared.port()));
    assertTrue(LocalRegistryTest.accepts(perTest.port()));
    assertEquals("alice", perTest.username());
  }

  @Test
  @Order(2)
  @DisplayName("a static field keeps one registry per class, an instance field one per test")
  void sharedSurvivesAndPerTestIsFresh() {
    sharedFolders.add(shared.registry().folder());
    perTestFolders.add(perTest.registry().folder());

    assertEquals(sharedFolders.get(0), sharedFolders.get(1));
    assertNotEquals(perTestFolders.get(0), perTestFolders.get(1));
    assertFalse(Files.exists(perTestFolders.get(0)), "the first test's registry was not stopped");
  }

  @Nested
  @DisplayName("in a nested class")
  class InANestedClass {

    @Test
    @DisplayName("the outer class's shared registry is the same one")
    void sharesTheOuterRegistry() {
      assertEquals(sharedFolders.get(0), shared.registry().folder());
    }
  }

  @AfterAll
  static void sharedRegistryOutlivesNestedClasses() {
    assertTrue(Files.isDirectory(sharedFolders.get(0)),
        "a nested class stopped the outer class's registry");
  }
}
