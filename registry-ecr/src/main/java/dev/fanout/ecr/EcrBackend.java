package dev.fanout.ecr;

import dev.fanout.spi.RegistryBackend;

/**
 * Pushes to AWS ECR with the credential the target names, else Docker's {@code config.json} (as
 * written by {@code aws ecr get-login-password | docker login}). Tokens from the AWS SDK and
 * repository creation are the subject of their own issue.
 */
final class EcrBackend implements RegistryBackend {}
