package dev.fanout.cli.config;

import dev.fanout.Condition;
import dev.fanout.Conditions;
import dev.fanout.CredentialSource;
import dev.fanout.TagRule;
import dev.fanout.Target;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Reads one of a config file's {@code targets} into a {@link Target} and its condition. */
final class TargetReader {

  static final Set<String> KEYS =
      new LinkedHashSet<>(
          List.of(
              "to",
              "name",
              "when",
              "credentials",
              "tags",
              "tagRules",
              "optional",
              "backend",
              "plainHttp",
              "options"));

  /** What {@code Target.named} accepts; the plan would refuse anything else, without the place. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  private TargetReader() {}

  /**
   * The target a mapping describes.
   *
   * @param node the mapping
   * @param path where it is, such as {@code targets[2]}
   * @param fields reads the values and records problems
   * @return the target, or empty when the mapping has problems
   */
  static Optional<TargetEntry> read(Node node, String path, YamlFields fields) {
    Optional<YamlFields.Mapping> read = fields.mapping(node, path, KEYS);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    YamlFields.Mapping entry = read.get();
    int before = fields.problems().count();
    if (!entry.has("to")) {
      fields.problems().at(node, path, "names no image to push to: give 'to'");
    }
    Optional<Target> target =
        fields
            .text(entry, "to")
            .filter(reference -> References.check(reference, entry, "to", fields))
            .map(Target::to);
    Optional<String> name = fields.text(entry, "name");
    if (name.isPresent() && !NAME.matcher(name.get()).matches()) {
      fields
          .problems()
          .at(
              entry.get("name").orElseThrow(),
              entry.path("name"),
              "'"
                  + name.get()
                  + "' is not a target name: lower-case letters, digits, - and _, starting with a"
                  + " letter or digit");
    }
    Optional<Condition> when =
        entry.get("when").flatMap(value -> ConditionReader.read(value, entry.path("when"), fields));
    Optional<CredentialSource> credentials =
        entry
            .get("credentials")
            .flatMap(value -> CredentialsReader.read(value, entry.path("credentials"), fields));
    Optional<List<TagRule>> tags = TagsReader.read(entry, fields);
    boolean optional = fields.flag(entry, "optional").orElse(false);
    Optional<String> backend = fields.text(entry, "backend");
    boolean plainHttp = fields.flag(entry, "plainHttp").orElse(false);
    Optional<YamlFields.Mapping> options =
        entry.get("options").flatMap(value -> options(value, entry.path("options"), fields));
    if (fields.problems().count() > before || target.isEmpty()) {
      return Optional.empty();
    }
    Target built = target.get();
    name.ifPresent(built::named);
    credentials.ifPresent(built::credentials);
    if (tags.isPresent()) {
      built.tags(
          tags.get().get(0), tags.get().subList(1, tags.get().size()).toArray(TagRule[]::new));
    }
    if (optional) {
      built.optional();
    }
    backend.ifPresent(built::backend);
    if (plainHttp) {
      built.allowPlainHttp();
    }
    options.ifPresent(
        mapping ->
            mapping
                .entries()
                .forEach(
                    (key, tuple) ->
                        built.option(key, ((ScalarNode) tuple.getValueNode()).getValue())));
    return Optional.of(new TargetEntry(when.orElse(Conditions.always()), built));
  }

  /**
   * A backend's settings: any keys (each backend checks its own when the pipeline is planned), each
   * value a plain scalar, kept as the text the file gives.
   */
  private static Optional<YamlFields.Mapping> options(Node node, String path, YamlFields fields) {
    if (!(node instanceof MappingNode mapping)) {
      fields
          .problems()
          .at(node, path, "expected a mapping of backend settings, " + YamlFields.found(node));
      return Optional.empty();
    }
    Set<String> keys = new LinkedHashSet<>();
    for (NodeTuple tuple : mapping.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode key && key.getTag().equals(Tag.STR)) {
        keys.add(key.getValue());
      }
    }
    Optional<YamlFields.Mapping> read = fields.mapping(node, path, keys);
    read.ifPresent(
        options ->
            options
                .entries()
                .forEach(
                    (key, tuple) -> {
                      Node value = tuple.getValueNode();
                      if (!(value instanceof ScalarNode scalar)
                          || scalar.getTag().equals(Tag.NULL)
                          || !Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL)
                              .contains(scalar.getTag())) {
                        fields
                            .problems()
                            .at(
                                value,
                                options.path(key),
                                "expected text, a number or a boolean, " + YamlFields.found(value));
                      }
                    }));
    return read;
  }
}
