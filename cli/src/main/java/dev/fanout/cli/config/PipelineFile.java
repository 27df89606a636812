package dev.fanout.cli.config;

import dev.fanout.RetryPolicy;
import dev.fanout.TagRule;
import java.util.List;
import java.util.Optional;

/**
 * What a config file ({@code fanout.yml}) declares, checked and turned into the DSL's own values;
 * {@link PipelineFileReader} reads it.
 *
 * @param image the image; empty when the file leaves it to the command line
 * @param tags the tags of every target that has none of its own; empty for the references' own
 * @param targets the targets, in the file's order
 * @param retry the retry policy; empty for the default
 */
public record PipelineFile(
    Optional<ImageSection> image,
    Optional<List<TagRule>> tags,
    List<TargetEntry> targets,
    Optional<RetryPolicy> retry) {}
