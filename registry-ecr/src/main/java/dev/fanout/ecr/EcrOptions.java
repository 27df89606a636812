package dev.fanout.ecr;

import dev.fanout.Target;

/**
 * The keys of the settings an ECR target takes with {@link Target#option(String, String)}: whether
 * Fanout creates a missing repository, and how it creates it.
 *
 * <pre>{@code
 * Target.to("123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/app")
 *     .option(EcrOptions.TAG_MUTABILITY, "IMMUTABLE")
 *     .option(EcrOptions.SCAN_ON_PUSH, "true")
 * }</pre>
 *
 * <p>The settings apply only when Fanout creates the repository; an existing repository is never
 * changed. A bad value or an unknown {@code ecr.} key is a plan problem, reported before any network
 * I/O together with every other problem.
 */
public final class EcrOptions {

  /**
   * Whether a missing repository is created: {@code true} (the default) or {@code false}. ECR,
   * unlike Docker Hub, does not create repositories on push; with creation off, a missing repository
   * fails the target before the image is pushed.
   */
  public static final String CREATE_REPOSITORY = "ecr.createRepository";

  /**
   * The tag mutability of a created repository: {@code MUTABLE} (the default, as in ECR) or {@code
   * IMMUTABLE}, with which pushing an existing tag again fails.
   */
  public static final String TAG_MUTABILITY = "ecr.tagMutability";

  /**
   * Whether a created repository scans images on push (basic scanning): {@code true} or {@code
   * false} (the default, as in ECR).
   */
  public static final String SCAN_ON_PUSH = "ecr.scanOnPush";

  /**
   * The encryption of a created repository: {@code AES256} (the default, as in ECR), {@code KMS} or
   * {@code KMS_DSSE}. It cannot be changed once the repository exists.
   */
  public static final String ENCRYPTION = "ecr.encryption";

  /**
   * The KMS key (id, ARN or alias) of a created repository whose encryption is {@code KMS} or {@code
   * KMS_DSSE}; without it ECR uses the AWS managed key {@code aws/ecr}.
   */
  public static final String KMS_KEY = "ecr.kmsKey";

  private EcrOptions() {}
}
