package dev.fanout.internal.transport;

import static dev.fanout.internal.transport.Fixtures.BASIC;
import static dev.fanout.internal.transport.Fixtures.SECRET;
import static dev.fanout.internal.transport.Fixtures.USER;
import static dev.fanout.internal.transport.Fixtures.credential;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.internal.image.Blob;
import dev.fanout.internal.image.Digests;
import dev.fanout.internal.transport.StubRegistry.Seen;
import java.io.ByteArrayInputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Pushing the blobs a build hands over one by one, and authenticating before the first. */
class EarlyBlobsTest {

  @Test
  @DisplayName("the next blob is asked for while the blob before it is still uploading")
  void nextBlobAskedForWhileUploading() throws Exception {
    byte[] bytes = "first layer".getBytes(StandardCharsets.UTF_8);
    CountDownLatch nextAskedFor = new CountDownLatch(1);
    AtomicBoolean askedForDuringUpload = new AtomicBoolean();
    Blob held =
        new Blob(
            Digests.of(bytes),
            bytes.length,
            () -> {
              // Sequential uploads would ask for the next blob only after this one: no deadlock,
              // the upload goes on after the bound and the test fails on what it saw.
              try {
                askedForDuringUpload.set(nextAskedFor.await(10, TimeUnit.SECONDS));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
              }
              return new ByteArrayInputStream(bytes);
            });
    Iterator<Optional<Blob>> supply = List.of(Optional.of(held), Optional.<Blob>empty()).iterator();
    MiniRegistry registry = new MiniRegistry();
    try (StubRegistry stub = new StubRegistry(registry::answer);
        RegistryTransport transport = RegistryTransport.create()) {
      PushFlowTest.client(transport, stub, RequestRunner.once())
          .pushBlobs(
              () -> {
                Optional<Blob> next = supply.next();
                if (next.isEmpty()) {
                  nextAskedFor.countDown();
                }
                return next;
              });

      assertTrue(askedForDuringUpload.get(), "the next blob was asked for after the upload ended");
      assertTrue(registry.blobs.contains("acme/app " + held.digest()), "the blob did not land");
    }
  }

  @Test
  @DisplayName(
      "authenticating answers the registry's challenge before any blob, so the first blob check"
          + " already carries the credential")
  void authenticatesBeforeTheFirstBlob() throws Exception {
    try (StubRegistry stub = new StubRegistry(Fixtures.basicAuth(new MiniRegistry()));
        RegistryTransport transport = RegistryTransport.create()) {
      RepositoryClient client = withCredential(transport, stub);

      client.authenticate();
      Iterator<Optional<Blob>> supply =
          List.of(Optional.of(Fixtures.blob("layer")), Optional.<Blob>empty()).iterator();
      client.pushBlobs(supply::next);

      List<Seen> seen = stub.requests();
      assertEquals(
          List.of("GET /v2/", "GET /v2/", "HEAD", "POST", "PUT"),
          seen.stream()
              .map(r -> r.method().equals("GET") ? "GET " + r.path() : r.method())
              .toList());
      assertEquals(Optional.empty(), seen.get(0).header("authorization"));
      assertTrue(
          seen.subList(1, seen.size()).stream()
              .allMatch(request -> request.header("authorization").equals(Optional.of(BASIC))),
          "a request after the challenge went without the credential");
    }
  }

  @Test
  @DisplayName(
      "a refused credential does not fail authenticating: the first blob check reports it, with"
          + " the user's name and never the secret")
  void refusedCredentialReportedByTheBlobCheck() throws Exception {
    try (StubRegistry stub = new StubRegistry((request, before) -> Fixtures.BASIC_CHALLENGE);
        RegistryTransport transport = RegistryTransport.create()) {
      RepositoryClient client = withCredential(transport, stub);
      Iterator<Optional<Blob>> supply =
          List.of(Optional.of(Fixtures.blob("layer")), Optional.<Blob>empty()).iterator();

      client.authenticate();
      RegistryResponseException refused =
          assertThrows(RegistryResponseException.class, () -> client.pushBlobs(supply::next));

      assertEquals(401, refused.status());
      assertEquals("HEAD", refused.method());
      assertTrue(refused.getMessage().contains("user '" + USER + "'"), refused.getMessage());
      assertFalse(refused.getMessage().contains(SECRET), refused.getMessage());
    }
  }

  /** A client of the stub's {@code acme/app} that sends the fixtures' credential. */
  private static RepositoryClient withCredential(RegistryTransport transport, StubRegistry stub) {
    return transport.repository(
        new RepositoryEndpoint(stub.host(), "acme/app", true), credential(), RequestRunner.once());
  }
}
