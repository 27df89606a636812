/**
 * Fanout's Docker Hub backend, found by {@link java.util.ServiceLoader} through {@link
 * dev.fanout.dockerhub.DockerHubBackendProvider}: Docker Hub's names and token service, its pull
 * limits explained. Its API for users is {@link dev.fanout.dockerhub.DockerHub} (the variables it
 * reads, a base-image credential, the pull-quota check) and {@link dev.fanout.dockerhub.PullQuota};
 * every other type is package-private.
 *
 * <p>Nullness: no public method of this package takes or returns null; an absent value is an empty
 * {@link java.util.Optional}.
 */
package dev.fanout.dockerhub;
