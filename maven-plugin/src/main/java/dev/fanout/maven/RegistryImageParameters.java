package dev.fanout.maven;

/**
 * The {@code <registryImage>} element: an image already in a registry, copied by digest to every
 * target instead of building the project.
 *
 * <pre>{@code
 * <registryImage>
 *   <image>ghcr.io/acme/app:1.4.2</image>
 * </registryImage>
 * }</pre>
 */
public class RegistryImageParameters {

  /** The image, by tag or digest: {@code ghcr.io/acme/app:1.4.2}, {@code ...@sha256:...}. */
  String image;

  /**
   * Where the pull credential comes from, as for a target; by default the {@code settings.xml}
   * server whose id is the image's host, else Docker's {@code config.json}, else none.
   */
  CredentialParameters credentials;

  /** Pulls over plain HTTP, from a registry on this machine ({@code localhost}, {@code 127.x}). */
  boolean plainHttp;
}
