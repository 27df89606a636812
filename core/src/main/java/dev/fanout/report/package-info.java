/**
 * Ready-made {@link dev.fanout.RunListener}s that report a run: {@link
 * dev.fanout.report.ConsoleReporter} for people at a console, {@link
 * dev.fanout.report.GitHubActions} for a GitHub Actions step, {@link dev.fanout.report.JsonReport}
 * for tools. None needs a logging library: retries and host holds reach them as events. Every text
 * from a registry or git is neutralised for the place it is written to.
 *
 * <p>Nullness: the package is {@link org.jspecify.annotations.NullMarked}. No parameter, return
 * value or record component is null unless it is marked {@link org.jspecify.annotations.Nullable};
 * an absent value is an empty {@link java.util.Optional}.
 */
@NullMarked
package dev.fanout.report;

import org.jspecify.annotations.NullMarked;
