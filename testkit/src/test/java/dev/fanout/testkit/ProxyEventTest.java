package dev.fanout.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("ProxyEvent")
class ProxyEventTest {

  @ParameterizedTest(name = "{0} {1} -> ''{2}''")
  @DisplayName("repository() names the repository of a Distribution API path, none for the rest")
  @CsvSource({
    "GET, /v2/demo/app/manifests/1.0, demo/app",
    "HEAD, /v2/demo/app/blobs/sha256:abc, demo/app",
    "POST, /v2/a/b/c/blobs/uploads/, a/b/c",
    "PUT, /v2/demo/blobs/blobs/uploads/5f0e, demo/blobs",
    "GET, /v2/demo/app/tags/list, demo/app",
    "GET, /v2/demo/app/referrers/sha256:abc, demo/app",
    "GET, /v2/, ''",
    "GET, /v2/_catalog, ''",
    "GET, /token, ''",
  })
  void repository(String method, String path, String repository) {
    ProxyEvent event =
        new ProxyEvent(
            Instant.EPOCH, Instant.EPOCH, method, path, ProxyEvent.Action.FORWARDED, 200);
    assertEquals(
        repository.isEmpty() ? Optional.empty() : Optional.of(repository), event.repository());
  }
}
