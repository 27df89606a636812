/**
 * Fanout's test kit for JUnit 5: a real registry on a loopback port ({@link
 * dev.fanout.testkit.LocalRegistry}, {@link dev.fanout.testkit.LocalRegistryExtension}), a proxy
 * that injects faults ({@link dev.fanout.testkit.FaultInjectingProxy}), a checker that is not
 * Fanout ({@link dev.fanout.testkit.RegistryChecker}) and the conformance kit every backend passes
 * ({@link dev.fanout.testkit.RegistryBackendConformanceKit}). It uses Fanout's API only.
 *
 * <p>Nullness: no public method of this package takes or returns null; an absent value is an empty
 * {@link java.util.Optional}.
 */
package dev.fanout.testkit;
