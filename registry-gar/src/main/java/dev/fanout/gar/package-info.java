/**
 * Fanout's Google Artifact Registry backend, found by {@link java.util.ServiceLoader} through
 * {@link dev.fanout.gar.GarBackendProvider}: a Google access token and Artifact Registry's
 * repositories. Its API for users is {@link dev.fanout.gar.GarConditions} and {@link
 * dev.fanout.gar.GarOptions}; every other type is package-private.
 *
 * <p>Nullness: no public method of this package takes or returns null; an absent value is an empty
 * {@link java.util.Optional}.
 */
package dev.fanout.gar;
