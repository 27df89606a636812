package dev.fanout.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.LogEvent;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.PipelineBuilder;
import dev.fanout.Plan;
import dev.fanout.PushReport;
import dev.fanout.RetryPolicy;
import dev.fanout.Target;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.spi.RegistryBackendProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every registry backend owes its users, as one abstract JUnit 5 class. A backend's
 * test extends it and supplies its provider, the hosts it claims, and how to wire a target so that
 * it lands in a real local registry (name overrides, stubbed control planes); the kit does the
 * rest.
 *
 * <pre>{@code
 * class OciBackendConformanceTest extends RegistryBackendConformanceKit {
 *   protected RegistryBackendProvider provider() { return new OciBackendProvider(); }
 *   protected List<String> claimedHosts() { return List.of("ghcr.io", "127.0.0.1:5000"); }
 *   protected List<String> declinedHosts() { return List.of("docker.io"); }
 *   protected Deployment deploy(LocalRegistry registry, String repository) {
 *     return new Deployment(Target.to(registry.reference(repository)).allowPlainHttp()
 *         .credentials(CredentialSource.of(registry.username(), registry.password())), Environment.of(Map.of()));
 *   }
 * }
 * }</pre>
 */
public abstract class RegistryBackendConformanceKit {

  /** The user the kit's registry accepts unless {@link #newRegistry()} is overridden. */
  protected static final String KIT_USERNAME = "fanout-kit";

  /** The password the kit's registry accepts unless {@link #newRegistry()} is overridden. */
  protected static final String KIT_PASSWORD = "conformance-kit-password-8d1f";

  private static final String REPOSITORY = "conformance/app";
  private static final String TAG = "1.0.0";

  /** Keeps the registry-down case short: two attempts, a tenth of a second apart. */
  private static final RetryPolicy QUICK_RETRIES =
      RetryPolicy.custom().maxAttempts(2).initialBackoff(Duration.ofMillis(100)).build();

  @TempDir Path folder;

  private final List<LocalRegistry> started = new ArrayList<>();

  /**
   * The provider under test, made as {@link ServiceLoader} would make it.
   *
   * @return the provider
   */
  protected abstract RegistryBackendProvider provider();

  /**
   * Hosts the backend must claim.
   *
   * @return at least one host
   */
  protected abstract List<String> claimedHosts();

  /**
   * Hosts the backend must leave to others.
   *
   * @return hosts, possibly none
   */
  protected abstract List<String> declinedHosts();

  /**
   * Wires a target of this backend so that its push lands in {@code registry} under {@code
   * repository}, and the environment the pipeline sees (credentials, endpoint overrides).
   *
   * @param registry a started registry from {@link #newRegistry()}
   * @param repository the repository the push must land in
   * @return the target and its environment
   * @throws Exception when stubs cannot be set up
   */
  protected abstract Deployment deploy(LocalRegistry registry, String repository) throws Exception;

  /**
   * The registry the kit pushes to; override to accept the user and token the backend presents.
   *
   * @return a registry handle, not started
   */
  protected LocalRegistry newRegistry() {
    return LocalRegistry.withBasicAuth(KIT_USERNAME, KIT_PASSWORD);
  }

  /**
   * A target and the environment its pipeline sees.
   *
   * @param target the target, wired to land in the kit's registry
   * @param environment the variables the pipeline sees
   */
  public record Deployment(Target target, Environment environment) {}

  /** The plan for one push to the host, with every backend on the class path. */
  private static Plan planFor(String host) {
    return Pipeline.prepare(Environment.of(Map.of()))
        .image(Jib.fromScratch())
        .push(host + "/acme/app")
        .plan();
  }

  @AfterEach
  void stopRegistries() {
    started.forEach(LocalRegistry::stop);
  }

  @Test
  @DisplayName("has a short lower-case id")
  void hasId() {
    assertTrue(provider().id().matches("[a-z][a-z0-9-]{1,31}"), provider().id());
  }

  @Test
  @DisplayName("is found by ServiceLoader")
  void isDiscovered() {
    Class<?> type = provider().getClass();
    assertTrue(
        ServiceLoader.load(RegistryBackendProvider.class).stream()
            .anyMatch(found -> found.type().equals(type)),
        type + " is not listed in META-INF/services/" + RegistryBackendProvider.class.getName());
  }

  @Test
  @DisplayName("claims its hosts and declines the others")
  void claimsItsHosts() {
    RegistryBackendProvider provider = provider();
    claimedHosts().forEach(host -> assertTrue(provider.claims(host), "should claim " + host));
    declinedHosts().forEach(host -> assertFalse(provider.claims(host), "should decline " + host));
  }

  @Test
  @DisplayName(
      "is the backend a plan picks for its hosts (or names when another claims them too), and not"
          + " for the others")
  void isPickedByThePlan() {
    String id = provider().id();
    for (String host : claimedHosts()) {
      Plan plan = planFor(host);
      if (!id.equals(plan.targets().get(0).backend())) {
        assertTrue(
            plan.problems().stream()
                .anyMatch(problem -> problem.contains("'" + id + "'") && problem.contains(host)),
            () -> "a plan for " + host + " neither picks nor names " + id + ": " + plan);
      }
    }
    for (String host : declinedHosts()) {
      assertNotEquals(
          id, planFor(host).targets().get(0).backend(), "the plan's backend for " + host);
    }
  }

  @Test
  @DisplayName("pushes an image that an independent client reads back with the report's digest")
  void pushesAndIsReadBack() throws Exception {
    LocalRegistry registry = start();
    PushReport report = push(deploy(registry, REPOSITORY), "pushed");

    TargetResult result = report.results().get(0);
    assertEquals(TargetStatus.PUSHED, result.status(), report::toString);
    assertEquals(provider().id(), result.backend());
    assertEquals(
        report.digest(),
        RegistryChecker.manifestDigest(registry.host(), REPOSITORY, TAG, registry.credentials()));
  }

  @Test
  @DisplayName(
      "pushes the same image again: the registry serves the same digest after each push, to a raw"
          + " GET and to skopeo")
  void pushesAgain() throws Exception {
    LocalRegistry registry = start();
    PushReport first = push(deploy(registry, REPOSITORY), "twice");
    assertEquals(TargetStatus.PUSHED, first.results().get(0).status(), first::toString);
    Optional<String> held =
        RegistryChecker.manifestDigest(registry.host(), REPOSITORY, TAG, registry.credentials());
    assertTrue(held.isPresent(), "the first push left nothing under " + TAG);
    assertEquals(held, first.digest(), first::toString);

    PushReport second = push(deploy(registry, REPOSITORY), "twice");
    assertEquals(TargetStatus.PUSHED, second.results().get(0).status(), second::toString);
    assertEquals(
        held,
        RegistryChecker.manifestDigest(registry.host(), REPOSITORY, TAG, registry.credentials()),
        "raw GET after the second push");
    assertEquals(
        held.get(),
        RegistryChecker.skopeoDigest(
            registry.reference(REPOSITORY + ":" + TAG), registry.credentials()),
        "skopeo inspect after the second push");
    assertEquals(held, second.results().get(0).digest(), second::toString);
  }

  @Test
  @DisplayName(
      "records a registry that is down as a failed target that says it cannot connect, instead of"
          + " throwing")
  void registryDown() throws Exception {
    LocalRegistry registry = start();
    Deployment deployment = deploy(registry, REPOSITORY);
    registry.stop();
    PushReport report = pipeline(deployment, "down").retryPolicy(QUICK_RETRIES).run();
    assertEquals(TargetStatus.FAILED, report.results().get(0).status(), report::toString);
    String detail = report.results().get(0).detail();
    assertTrue(detail.contains("cannot connect to the registry"), detail);
  }

  @Test
  @DisplayName("never prints the registry password in the plan, the report or the logs")
  void keepsThePasswordSecret() throws Exception {
    LocalRegistry registry = start();
    Deployment deployment = deploy(registry, REPOSITORY);
    ConcurrentLinkedQueue<String> jibLog = new ConcurrentLinkedQueue<>();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    PrintStream originalOut = System.out;
    PushReport report;
    Plan plan;
    try (PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8)) {
      System.setErr(capture);
      System.setOut(capture);
      PipelineBuilder pipeline =
          pipeline(deployment, "secret")
              .addEventHandler(LogEvent.class, event -> jibLog.add(event.getMessage()));
      plan = pipeline.plan();
      report = pipeline.run();
    } finally {
      System.setErr(originalErr);
      System.setOut(originalOut);
    }
    String password = registry.password();
    for (String text :
        List.of(
            plan.toString(),
            report.toString(),
            report.results().toString(),
            String.join("\n", jibLog),
            console.toString(StandardCharsets.UTF_8))) {
      assertFalse(text.contains(password), "the password was printed");
    }
    assertEquals(TargetStatus.PUSHED, report.results().get(0).status(), report::toString);
  }

  private LocalRegistry start() {
    LocalRegistry registry = newRegistry().start();
    started.add(registry);
    return registry;
  }

  private PushReport push(Deployment deployment, String greeting) throws Exception {
    return pipeline(deployment, greeting).run();
  }

  private PipelineBuilder pipeline(Deployment deployment, String greeting) throws Exception {
    Path files = Files.createTempDirectory(folder, "image");
    return Pipeline.prepare(deployment.environment())
        .image(TestImages.smallApp(files, greeting))
        .tags(TAG)
        .push(deployment.target());
  }
}
