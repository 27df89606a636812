package dev.fanout.ecr;

import dev.fanout.Condition;

/**
 * Conditions for ECR targets, to use with {@code Pipeline.when(...)}.
 *
 * <pre>{@code
 * Pipeline.prepare()
 *     .when(awsCredentialsPresent())
 *         .push("123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/app")
 * }</pre>
 */
public final class EcrConditions {

  private EcrConditions() {}

  /**
   * Holds when the AWS credential chain that the ECR backend uses has a configured step, and says
   * which; when it does not hold, it says what is missing. Decided from the pipeline's environment,
   * the JVM's system properties and the local AWS profile files, without any network call: the EC2
   * instance metadata service is never asked (it is not part of the backend's chain).
   *
   * <p>The steps, in order: system properties {@code aws.accessKeyId} and {@code
   * aws.secretAccessKey}; {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}; {@code
   * AWS_ROLE_ARN} with an existing {@code AWS_WEB_IDENTITY_TOKEN_FILE}; the profile {@code
   * AWS_PROFILE} (else {@code default}) in the credentials or config file; {@code
   * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI} or {@code _FULL_URI}. The region is not needed: it is
   * part of the registry host.
   *
   * <p>"Present" means configured, not valid: expired or revoked keys are found when the target is
   * readied, and the target fails then with ECR's answer.
   *
   * @return the condition
   */
  public static Condition awsCredentialsPresent() {
    return environment -> new AwsCredentialChain(environment).availability();
  }
}
