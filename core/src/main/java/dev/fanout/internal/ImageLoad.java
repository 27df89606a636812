package dev.fanout.internal;

import dev.fanout.Environment;
import dev.fanout.internal.transport.RegistryTransport;
import dev.fanout.internal.transport.RequestRunner;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Function;

/**
 * What a run offers an {@link ImageLoader}.
 *
 * @param work the run's folder, deleted after the run; blobs that must be copied go there
 * @param transport the run's OCI transport, for a copy from a registry
 * @param runners a request runner for a registry host, retrying under the run's policy
 * @param environment the pipeline's environment
 * @param targetHosts the hosts of the enabled targets, so a copy can tell whether every target can
 *     mount the blobs from the source instead of receiving them
 */
public record ImageLoad(
    Path work,
    RegistryTransport transport,
    Function<String, RequestRunner> runners,
    Environment environment,
    Set<String> targetHosts) {

  /** Copies the hosts. */
  public ImageLoad {
    targetHosts = Set.copyOf(targetHosts);
  }

  /**
   * A request runner for a host.
   *
   * @param host the registry host, with its port
   * @return the runner
   */
  public RequestRunner runner(String host) {
    return runners.apply(host);
  }
}
