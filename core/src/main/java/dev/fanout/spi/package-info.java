/**
 * The service provider interface for registry backends: a {@link
 * dev.fanout.spi.RegistryBackendProvider}, found with {@link java.util.ServiceLoader}, claims the
 * hosts of its registry and gives a {@link dev.fanout.spi.RegistryBackend} that adjusts what the
 * generic OCI push needs (credentials, repository creation, failures explained). A backend uses
 * this package and {@link dev.fanout} only; {@code dev.fanout.internal} is not API, and a test
 * fails the build when a backend uses it.
 *
 * <p>Nullness: the package is {@link org.jspecify.annotations.NullMarked}. No parameter, return
 * value or record component is null unless it is marked {@link org.jspecify.annotations.Nullable};
 * an absent value is an empty {@link java.util.Optional}. A backend returns no null either.
 */
@NullMarked
package dev.fanout.spi;

import org.jspecify.annotations.NullMarked;
