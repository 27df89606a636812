package dev.fanout.ecr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.tools.jib.api.Jib;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.Plan;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The ecr backend on the class path")
class EcrBackendDiscoveryTest {

  @Test
  @DisplayName("serves its registry's hosts and leaves the others to the generic backend")
  void servesItsHosts() {
    Plan plan =
        Pipeline.prepare(Environment.of(Map.of()))
            .image(Jib.fromScratch())
            .push("123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/app")
            .push("public.ecr.aws/acme/app")
            .plan();
    assertEquals("ecr", plan.targets().get(0).backend(), plan::toString);
    assertEquals("oci", plan.targets().get(1).backend(), plan::toString);
  }

  @Test
  @DisplayName("keeps manifest uploads under ECR's default PutImage quota of 10 a second")
  void declaresPutImageQuota() {
    assertEquals(
        OptionalInt.of(10), new EcrBackendProvider().create().manifestUploadsPerSecond());
  }
}
