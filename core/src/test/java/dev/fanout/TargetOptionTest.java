package dev.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Jib;
import dev.fanout.spi.RegistryBackend;
import dev.fanout.spi.RegistryBackendProvider;
import dev.fanout.spi.TargetSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A target's backend options")
class TargetOptionTest {

  @Test
  @DisplayName("reach the backend's TargetSpec in the order set, a repeated key keeping its last value")
  void reachTheBackend() {
    RecordingProvider provider = new RecordingProvider();
    Plan plan =
        Pipeline.prepare(Environment.of(Map.of()))
            .image(Jib.fromScratch())
            .backend(provider)
            .push(
                Target.to("options.example/acme/app")
                    .backend("demo")
                    .option("demo.mode", "fast")
                    .option("demo.level", "3")
                    .option("demo.mode", "slow"))
            .plan();
    assertTrue(plan.isValid(), plan::toString);
    TargetSpec seen = provider.seen.peek();
    assertEquals(List.of("demo.mode", "demo.level"), List.copyOf(seen.options().keySet()));
    assertEquals("slow", seen.option("demo.mode").orElseThrow());
    assertTrue(seen.option("demo.absent").isEmpty());
  }

  @Test
  @DisplayName("let the backend report a bad value as a plan problem")
  void badValueIsAPlanProblem() {
    Plan plan =
        Pipeline.prepare(Environment.of(Map.of()))
            .image(Jib.fromScratch())
            .backend(new RecordingProvider())
            .push(
                Target.to("options.example/acme/app")
                    .backend("demo")
                    .option("demo.mode", "sideways"))
            .plan();
    assertEquals(
        List.of("target 'options.example/acme/app': demo.mode must be fast or slow, was 'sideways'"),
        plan.problems());
  }

  @Test
  @DisplayName("are absent from a target that sets none, and a target's copy cannot change them")
  void absentByDefaultAndCopied() {
    Target target = Target.to("options.example/acme/app");
    assertTrue(target.options().isEmpty());
    target.option("demo.mode", "fast");
    assertThrows(UnsupportedOperationException.class, () -> target.options().put("demo.mode", "x"));
    assertThrows(NullPointerException.class, () -> target.option("demo.mode", null));
  }

  /** Serves {@code options.example} and records the targets it validates. */
  private static final class RecordingProvider implements RegistryBackendProvider {
    final ConcurrentLinkedQueue<TargetSpec> seen = new ConcurrentLinkedQueue<>();

    @Override
    public String id() {
      return "demo";
    }

    @Override
    public boolean claims(String registryHost) {
      return registryHost.equals("options.example");
    }

    @Override
    public RegistryBackend create() {
      return new RegistryBackend() {
        @Override
        public List<String> validate(TargetSpec target, Environment environment) {
          seen.add(target);
          return target
              .option("demo.mode")
              .filter(mode -> !mode.equals("fast") && !mode.equals("slow"))
              .map(mode -> List.of("demo.mode must be fast or slow, was '" + mode + "'"))
              .orElse(List.of());
        }
      };
    }
  }
}
