package dev.fanout.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Warming up a registry connection while the image builds")
class RegistryWarmUpTest {

  private static final Map<String, String> BASIC_CHALLENGE =
      Map.of("WWW-Authenticate", "Basic realm=\"test\"");

  @Test
  @DisplayName("opens a plain-HTTP registry's API root once, with no credential")
  void opensTheApiRoot() throws Exception {
    try (FixedAnswerServer registry = new FixedAnswerServer(401, BASIC_CHALLENGE, "{}")) {
      RegistryWarmUp.start(registry.host()).get(20, TimeUnit.SECONDS);

      List<String> requests = registry.requests();
      assertEquals(1, requests.size(), requests::toString);
      assertTrue(requests.get(0).startsWith("GET /v2/ HTTP/1.1 "), requests::toString);
      assertFalse(requests.get(0).contains("Authorization"), requests::toString);
    }
  }

  @Test
  @DisplayName("ends quietly when the registry cannot be reached")
  void unreachableRegistry() throws Exception {
    RegistryWarmUp.start("127.0.0.1:1").get(20, TimeUnit.SECONDS);
  }
}
