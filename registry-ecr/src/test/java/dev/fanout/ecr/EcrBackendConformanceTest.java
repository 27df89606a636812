package dev.fanout.ecr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fanout.spi.RegistryBackendProvider;
import dev.fanout.testkit.LocalRegistry;
import dev.fanout.testkit.RegistryBackendConformanceKit;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The ECR backend")
class EcrBackendConformanceTest extends RegistryBackendConformanceKit {

  private final List<EcrApiStub> stubs = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopStubs() {
    stubs.forEach(EcrApiStub::close);
  }

  @Test
  @DisplayName("keeps manifest uploads under ECR's default PutImage quota of 10 a second")
  void declaresPutImageQuota() {
    assertEquals(OptionalInt.of(10), provider().create().manifestUploadsPerSecond());
  }

  @Override
  protected RegistryBackendProvider provider() {
    return new EcrBackendProvider();
  }

  @Override
  protected List<String> claimedHosts() {
    return List.of(
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
        "123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com",
        "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn");
  }

  @Override
  protected List<String> declinedHosts() {
    return List.of(
        "public.ecr.aws",
        "12345.dkr.ecr.eu-west-1.amazonaws.com",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.example",
        "registry-1.docker.io",
        "ghcr.io",
        "127.0.0.1:5000");
  }

  /** The registry accepts the user every ECR token names, with the kit's password as the token. */
  @Override
  protected LocalRegistry newRegistry() {
    return LocalRegistry.withBasicAuth(EcrApi.TOKEN_USER, KIT_PASSWORD);
  }

  @Override
  protected Deployment deploy(LocalRegistry registry, String repository) throws Exception {
    EcrApiStub stub =
        EcrApiStub.start(
            EcrPushTest.ACCOUNT,
            EcrPushTest.REGION,
            registry.password(),
            "http://" + registry.host());
    stubs.add(stub);
    return new Deployment(EcrPushTest.ecr(repository), EcrPushTest.environment(stub));
  }
}
