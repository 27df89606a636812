/**
 * An example backend for GitHub Container Registry, written as a backend author would: against
 * {@link dev.fanout.spi} and {@link dev.fanout} only. {@link
 * dev.fanout.examples.ghcr.GhcrBackendProvider} is its one public type, found by {@link
 * java.util.ServiceLoader}.
 *
 * <p>Nullness: no public method of this package takes or returns null; an absent value is an empty
 * {@link java.util.Optional}.
 */
package dev.fanout.examples.ghcr;
