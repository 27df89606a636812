/**
 * Fanout's API: build a container image once and push it to every registry whose credentials are
 * present. Start with {@link dev.fanout.Pipeline#prepare()}; {@link dev.fanout.Target} declares a
 * registry, {@link dev.fanout.Plan} says what a run would do, {@link dev.fanout.PushReport} what it
 * did, and a {@link dev.fanout.RunListener} hears it as it happens.
 *
 * <p>This package, {@link dev.fanout.spi} (for backend authors) and {@link dev.fanout.report} (the
 * reporters) are Fanout's API. Nothing under {@code dev.fanout.internal} is, whatever its
 * visibility: it changes without notice, and a test fails the build when code outside fanout-core
 * uses it.
 *
 * <p>Nullness: the package is {@link org.jspecify.annotations.NullMarked}. No parameter, return
 * value or record component is null unless it is marked {@link org.jspecify.annotations.Nullable};
 * an absent value is an empty {@link java.util.Optional}, and a null argument is refused with a
 * {@link NullPointerException}.
 */
@NullMarked
package dev.fanout;

import org.jspecify.annotations.NullMarked;
