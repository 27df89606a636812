package dev.fanout.spi;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.fanout.CredentialSource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A target as planned: its normalised repository (without tag), the tags to push, and its
 * settings.
 *
 * @param reference the repository to push to, normalised by the backend; no tag or digest
 * @param tags the tags to push, at least one
 * @param credentials the credential source the target named, if any
 * @param plainHttp whether plain HTTP is allowed
 * @param options the backend options the target set with {@code Target.option(key, value)}, in the
 *     order they were set
 */
public record TargetSpec(
    ImageReference reference,
    List<String> tags,
    Optional<CredentialSource> credentials,
    boolean plainHttp,
    Map<String, String> options) {

  /**
   * Copies the tags and the options.
   *
   * @param reference the repository to push to, normalised by the backend; no tag or digest
   * @param tags the tags to push, at least one
   * @param credentials the credential source the target named, if any
   * @param plainHttp whether plain HTTP is allowed
   * @param options the backend options the target set with {@code Target.option(key, value)}, in the
   *     order they were set
   */
  public TargetSpec {
    tags = List.copyOf(tags);
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /**
   * A target without backend options.
   *
   * @param reference the repository to push to, normalised by the backend; no tag or digest
   * @param tags the tags to push, at least one
   * @param credentials the credential source the target named, if any
   * @param plainHttp whether plain HTTP is allowed
   */
  public TargetSpec(
      ImageReference reference,
      List<String> tags,
      Optional<CredentialSource> credentials,
      boolean plainHttp) {
    this(reference, tags, credentials, plainHttp, Map.of());
  }

  /**
   * One backend option.
   *
   * @param key the option's key, for example {@code ecr.createRepository}
   * @return its value, when the target set it
   */
  public Optional<String> option(String key) {
    return Optional.ofNullable(options.get(key));
  }
}
