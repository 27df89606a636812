package dev.fanout.spi;

/**
 * The {@link java.util.ServiceLoader} entry of a registry backend: a cheap, thread-safe factory
 * that says which registry hosts it serves.
 *
 * <p>Register an implementation in {@code
 * META-INF/services/dev.fanout.spi.RegistryBackendProvider}. Constructors and {@link
 * #claims(String)} must not do I/O: providers are loaded and asked while a pipeline is planned,
 * which must stay offline. Exactly one provider may claim a host; when two do, the plan says so
 * and the target pins one with {@code Target.backend(id)}.
 */
public interface RegistryBackendProvider {

  /**
   * A short, stable, lower-case id, shown in plans and used to pin a backend ({@code oci}, {@code
   * ecr}, ...).
   *
   * @return the id
   */
  String id();

  /**
   * Whether this backend serves a registry host.
   *
   * @param registryHost the host, with its port when it has one, as Jib parses it (Docker Hub
   *     appears as {@code registry-1.docker.io})
   * @return true when the backend serves it
   */
  boolean claims(String registryHost);

  /**
   * A backend for one run. Called at most once per run, so the backend may cache tokens for the
   * run's targets.
   *
   * @return a new backend
   */
  RegistryBackend create();
}
