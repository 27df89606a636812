/**
 * Fanout's Amazon ECR backend, found by {@link java.util.ServiceLoader} through {@link
 * dev.fanout.ecr.EcrBackendProvider}: ECR's registry token from the AWS SDK and its repositories.
 * Its API for users is {@link dev.fanout.ecr.EcrConditions} and {@link dev.fanout.ecr.EcrOptions};
 * every other type is package-private.
 *
 * <p>Nullness: no public method of this package takes or returns null; an absent value is an empty
 * {@link java.util.Optional}.
 */
package dev.fanout.ecr;
