package dev.fanout.cli.config;

import dev.fanout.Condition;
import dev.fanout.Target;

/**
 * One of a config file's {@code targets}: where to push, and when.
 *
 * @param when the condition under which the target takes part ({@code always} when the file gives
 *     none)
 * @param target the target, its tags, credentials and settings
 */
public record TargetEntry(Condition when, Target target) {}
