package dev.fanout.ecr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Jib;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.Plan;
import dev.fanout.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.EncryptionType;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;

@DisplayName("Planning ECR targets")
class EcrPlanTest {

  private static final String REGISTRY = EcrPushTest.REGISTRY;

  private static Plan plan(Environment environment, Target... targets) {
    var pipeline = Pipeline.prepare(environment).image(Jib.fromScratch());
    for (Target target : targets) {
      pipeline.push(target);
    }
    return pipeline.plan();
  }

  @Test
  @DisplayName("reports every bad ECR option, name and endpoint at once, without any network I/O")
  void everyProblemAtOnce() {
    Plan plan =
        plan(
            Environment.of(Map.of("AWS_ENDPOINT_URL_ECR", "not a url")),
            Target.to(REGISTRY + "/acme/app")
                .option(EcrOptions.CREATE_REPOSITORY, "maybe")
                .option(EcrOptions.TAG_MUTABILITY, "IMMUTABLE_WITH_EXCLUSION")
                .option(EcrOptions.SCAN_ON_PUSH, "yes")
                .option(EcrOptions.ENCRYPTION, "ROT13")
                .option("ecr.lifecyclePolicy", "keep-10"),
            Target.to(REGISTRY + "/acme/kms").option(EcrOptions.KMS_KEY, "alias/release"),
            Target.to(REGISTRY + "/a"));
    List<String> problems = plan.problems();
    String all = String.join("\n", problems);
    String app = "target '" + REGISTRY + "/acme/app': ";
    assertTrue(problems.contains(app + "ecr.createRepository must be true or false, was 'maybe'"), all);
    assertTrue(
        problems.contains(
            app + "ecr.tagMutability must be MUTABLE or IMMUTABLE, was 'IMMUTABLE_WITH_EXCLUSION'"),
        all);
    assertTrue(problems.contains(app + "ecr.scanOnPush must be true or false, was 'yes'"), all);
    assertTrue(problems.contains(app + "ecr.encryption must be AES256, KMS or KMS_DSSE, was 'ROT13'"), all);
    assertTrue(all.contains("unknown ECR option 'ecr.lifecyclePolicy'"), all);
    assertTrue(all.contains("AWS_ENDPOINT_URL_ECR is not a URL"), all);
    assertTrue(all.contains("ecr.kmsKey needs ecr.encryption KMS or KMS_DSSE"), all);
    assertTrue(all.contains("'a' is not a valid ECR repository name"), all);
    assertEquals(10, problems.size(), all);
  }

  @Test
  @DisplayName("accepts well-formed options, in any letter case")
  void acceptsGoodOptions() {
    Plan plan =
        plan(
            Environment.of(Map.of()),
            Target.to(REGISTRY + "/acme/app")
                .option(EcrOptions.CREATE_REPOSITORY, "FALSE")
                .option(EcrOptions.TAG_MUTABILITY, "immutable")
                .option(EcrOptions.SCAN_ON_PUSH, "true")
                .option(EcrOptions.ENCRYPTION, "kms_dsse")
                .option(EcrOptions.KMS_KEY, "arn:aws:kms:eu-west-1:123456789012:key/abc")
                .option("gar.unrelated", "ignored by ECR"));
    assertTrue(plan.isValid(), plan::toString);
    RepositorySettings settings =
        RepositorySettings.from(
            Map.of(
                EcrOptions.CREATE_REPOSITORY, "FALSE",
                EcrOptions.TAG_MUTABILITY, "immutable",
                EcrOptions.ENCRYPTION, "kms_dsse"));
    assertEquals(false, settings.create());
    assertEquals(ImageTagMutability.IMMUTABLE, settings.tagMutability());
    assertEquals(EncryptionType.KMS_DSSE, settings.encryption());
  }

  @Test
  @DisplayName("creates repositories by default, as ECR would name them: mutable tags, no scan, AES256")
  void defaults() {
    RepositorySettings settings = RepositorySettings.from(Map.of());
    assertEquals(
        new RepositorySettings(
            true, ImageTagMutability.MUTABLE, false, EncryptionType.AES256, java.util.Optional.empty()),
        settings);
  }

  @Test
  @DisplayName("allows plain HTTP only when the ECR endpoint override is on loopback")
  void plainHttpOnlyForLoopbackStandIn() {
    String problem =
        "target '"
            + REGISTRY
            + "/acme/app': allowPlainHttp() is only for a stand-in of ECR on this machine: ECR itself"
            + " speaks HTTPS only, and its token travels over plain HTTP only when AWS_ENDPOINT_URL_ECR"
            + " points at a loopback address";
    assertEquals(
        List.of(problem), plan(Environment.of(Map.of()), Target.to(REGISTRY + "/acme/app").allowPlainHttp()).problems());
    String clearApi =
        "target '"
            + REGISTRY
            + "/acme/app': a credential for AWS_ENDPOINT_URL would be sent over plain HTTP to"
            + " localstack.internal, which is not this machine: use HTTPS, or plain HTTP only to"
            + " localhost or a literal 127.x.y.z or ::1 address";
    assertEquals(
        List.of(clearApi, problem),
        plan(
                Environment.of(Map.of("AWS_ENDPOINT_URL", "http://localstack.internal:4566")),
                Target.to(REGISTRY + "/acme/app").allowPlainHttp())
            .problems());
    assertTrue(
        plan(
                Environment.of(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")),
                Target.to(REGISTRY + "/acme/app").allowPlainHttp())
            .isValid());
  }

  @Test
  @DisplayName("reports a host that is not ECR when a target pins the ECR backend")
  void pinnedToForeignHost() {
    Plan plan = plan(Environment.of(Map.of()), Target.to("ghcr.io/acme/app").backend("ecr"));
    assertEquals(
        List.of(
            "target 'ghcr.io/acme/app': ghcr.io is not an ECR registry host"
                + " (<account>.dkr.ecr.<region>.amazonaws.com)"),
        plan.problems());
  }
}
