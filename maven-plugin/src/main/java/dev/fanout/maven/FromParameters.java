package dev.fanout.maven;

/**
 * The {@code <from>} element: the base image the project's layers go on.
 *
 * <pre>{@code
 * <from>
 *   <image>eclipse-temurin:17-jre</image>
 * </from>
 * }</pre>
 *
 * <p>{@code scratch} means no base image; {@code tar://path/base.tar} a {@code docker save}
 * tarball; anything else an image in a registry.
 */
public class FromParameters {

  /** The base image; {@value ProjectImage#DEFAULT_BASE_IMAGE} when not given. */
  String image;

  /** Where the pull credential comes from, as for a target. */
  CredentialParameters credentials;
}
