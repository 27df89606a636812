package dev.fanout.internal.transport;

import static dev.fanout.internal.transport.Fixtures.blob;
import static dev.fanout.internal.transport.Fixtures.image;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RegistryTransportTest {

  @Test
  @DisplayName(
      "closing the transport ends its HTTP client's selector thread, which would hold up the JVM's"
          + " exit")
  void closeEndsTheSelectorThread() throws Exception {
    MiniRegistry registry = new MiniRegistry();
    Thread selector;
    try (StubRegistry stub = new StubRegistry(registry::answer)) {
      RegistryTransport transport = RegistryTransport.create();
      PushFlowTest.client(transport, stub, RequestRunner.once()).push(image(blob("x")), List.of("1"));
      selector = transport.selectorThread().orElseThrow();
      assertTrue(selector.isAlive(), "the selector thread runs while the transport is open");

      transport.close();
    }

    assertFalse(selector.isAlive(), selector.getName() + " still runs after close");
  }
}
