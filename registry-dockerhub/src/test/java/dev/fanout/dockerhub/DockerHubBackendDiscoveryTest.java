package dev.fanout.dockerhub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.tools.jib.api.Jib;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.Plan;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The dockerhub backend on the class path")
class DockerHubBackendDiscoveryTest {

  @Test
  @DisplayName("serves its registry's hosts and leaves the others to the generic backend")
  void servesItsHosts() {
    Plan plan =
        Pipeline.prepare(Environment.of(Map.of()))
            .image(Jib.fromScratch())
            .push("registry-1.docker.io/acme/app")
            .push("ghcr.io/acme/app")
            .plan();
    assertEquals("dockerhub", plan.targets().get(0).backend(), plan::toString);
    assertEquals("oci", plan.targets().get(1).backend(), plan::toString);
  }
}
