package dev.fanout.ecr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("An ECR registry host")
class EcrRegistryHostTest {

  @Test
  @DisplayName("gives its account and region, for the commercial, FIPS and China forms")
  void readsAccountAndRegion() {
    assertEquals(
        Optional.of(
            new EcrRegistryHost("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "123456789012", "eu-west-1", false)),
        EcrRegistryHost.parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com"));
    assertEquals(
        Optional.of(
            new EcrRegistryHost(
                "210987654321.dkr.ecr-fips.us-gov-west-1.amazonaws.com", "210987654321", "us-gov-west-1", true)),
        EcrRegistryHost.parse("210987654321.dkr.ecr-fips.us-gov-west-1.amazonaws.com"));
    assertEquals(
        "cn-north-1",
        EcrRegistryHost.parse("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn").orElseThrow().region());
  }

  @Test
  @DisplayName("is not recognised in ECR Public, a short account id or a look-alike domain")
  void rejectsOthers() {
    assertTrue(EcrRegistryHost.parse("public.ecr.aws").isEmpty());
    assertTrue(EcrRegistryHost.parse("12345.dkr.ecr.eu-west-1.amazonaws.com").isEmpty());
    assertTrue(EcrRegistryHost.parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com.example").isEmpty());
  }
}
