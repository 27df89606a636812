package dev.fanout;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A place to push the image: a repository in a registry, with optional per-target tags,
 * credentials and transport settings.
 *
 * <p>Like Jib's {@code RegistryImage}, a {@code Target} is a small mutable builder; the pipeline
 * copies what it needs when it plans. Nothing is checked here: the plan reports every problem at
 * once.
 *
 * <pre>{@code
 * Target.to("ghcr.io/acme/app")
 *     .credentials(CredentialSource.fromEnvironment("GHCR_USERNAME", "GHCR_TOKEN"))
 *     .tags("1.4.2", "latest")
 * }</pre>
 */
public final class Target {

  private final String reference;
  private List<TagRule> tags;
  private @Nullable String name;
  private boolean optional;
  private @Nullable CredentialSource credentials;
  private boolean plainHttp;
  private @Nullable String backendId;
  private final Map<String, String> options = new LinkedHashMap<>();

  private Target(String reference) {
    this.reference = reference;
  }

  /**
   * A target repository, for example {@code docker.io/acme/app} or {@code 127.0.0.1:5000/demo/app}.
   * A tag in the reference is added to the target's tags.
   *
   * @param reference the image reference
   * @return the target
   */
  public static Target to(String reference) {
    return new Target(Objects.requireNonNull(reference, "reference"));
  }

  /**
   * Tags for this target only, replacing the pipeline's tags for it.
   *
   * @param tags the tags
   * @return this target
   */
  public Target tags(String... tags) {
    this.tags = Stream.of(tags).map(TagRule::literal).toList();
    return this;
  }

  /**
   * Tag rules for this target only, replacing the pipeline's tags for it: for example {@code
   * tags(TagRule.semver())} for Docker Hub and {@code tags(TagRule.sha(), TagRule.branch())} for
   * the registry a deployment polls. When the rules give no tag for the run's ref, the target is
   * skipped.
   *
   * @param rule the first rule
   * @param more further rules
   * @return this target
   */
  public Target tags(TagRule rule, TagRule... more) {
    this.tags = List.copyOf(Stream.concat(Stream.of(rule), Stream.of(more)).toList());
    return this;
  }

  /**
   * A short name for this target in CI outputs ({@code enabled-<name>} in GitHub Actions) and the
   * JSON report. Without one, the name is made from the reference: {@code docker.io/acme/app}
   * becomes {@code docker-io-acme-app}.
   *
   * @param name lower-case letters, digits, {@code -} and {@code _}, starting with a letter or
   *     digit; the plan reports any other
   * @return this target
   */
  public Target named(String name) {
    this.name = Objects.requireNonNull(name, "name");
    return this;
  }

  /**
   * Marks this target optional: when it fails, the report says so, but {@link
   * PushReport#hasRequiredFailures()} stays false, so a release's exit status does not depend on
   * it. For a mirror that is nice to have.
   *
   * @return this target
   */
  public Target optional() {
    this.optional = true;
    return this;
  }

  /**
   * Where this target's credential comes from; without one, the backend's default applies (for
   * the generic registry backend: Docker's {@code config.json}, else anonymous).
   *
   * @param credentials the source
   * @return this target
   */
  public Target credentials(CredentialSource credentials) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    return this;
  }

  /**
   * Allows plain HTTP (and unverified HTTPS) to this registry. Credentials travel over plain HTTP
   * only to a loopback registry; the plan rejects them for any other host.
   *
   * @return this target
   */
  public Target allowPlainHttp() {
    this.plainHttp = true;
    return this;
  }

  /**
   * Pins the backend for this target by id ({@code oci}, {@code dockerhub}, {@code ecr}, {@code
   * gar}, or a custom backend's id), for when two backends claim the same host.
   *
   * @param backendId the backend's id
   * @return this target
   */
  public Target backend(String backendId) {
    this.backendId = Objects.requireNonNull(backendId, "backendId");
    return this;
  }

  /**
   * A setting for the backend that serves this target, such as whether a missing ECR repository is
   * created. Keys start with the backend's id ({@code ecr.createRepository}); each backend module
   * documents its keys, and its backend reports an unknown key or a bad value when the pipeline is
   * planned. Setting a key again replaces its value. Options are printed in plans, so they must
   * never hold a secret.
   *
   * @param key the option's key
   * @param value its value
   * @return this target
   */
  public Target option(String key, String value) {
    options.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * The reference as given.
   *
   * @return the reference
   */
  public String reference() {
    return reference;
  }

  /**
   * The per-target tags, as rules; a literal tag is a {@link TagRule#literal(String)}.
   *
   * @return the rules, or empty when the pipeline's tags apply
   */
  public Optional<List<TagRule>> tags() {
    return Optional.ofNullable(tags);
  }

  /**
   * The name given with {@link #named(String)}.
   *
   * @return the name, or empty for one made from the reference
   */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /**
   * Whether the target is optional.
   *
   * @return true when {@link #optional()} was called
   */
  public boolean isOptional() {
    return optional;
  }

  /**
   * The credential source given for this target.
   *
   * @return the source, or empty for the backend's default
   */
  public Optional<CredentialSource> credentials() {
    return Optional.ofNullable(credentials);
  }

  /**
   * Whether plain HTTP is allowed.
   *
   * @return true when {@link #allowPlainHttp()} was called
   */
  public boolean plainHttpAllowed() {
    return plainHttp;
  }

  /**
   * The pinned backend.
   *
   * @return its id, or empty to choose by host
   */
  public Optional<String> backendId() {
    return Optional.ofNullable(backendId);
  }

  /**
   * The backend options set with {@link #option(String, String)}.
   *
   * @return the options in the order they were first set; a copy
   */
  public Map<String, String> options() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /** Names the reference; never a secret. */
  @Override
  public String toString() {
    return "Target[" + reference + "]";
  }
}
