/**
 * Fanout's OCI distribution client on {@code java.net.http}: the push path of every image (Jib only
 * builds). {@link dev.fanout.internal.transport.RegistryTransport} is the run-wide entry point,
 * {@link dev.fanout.internal.transport.RepositoryClient} pushes to and reads from one repository, and
 * every request goes through the engine's {@link dev.fanout.internal.transport.RequestRunner} on its
 * own, so a failed request is retried alone. Protocol facts and pitfalls: {@code
 * shared/reference/registry-protocols.md} §1 and §9.
 */
package dev.fanout.internal.transport;
