package dev.fanout.internal;

import dev.fanout.spi.KnownRegistry;
import dev.fanout.spi.RegistryBackendProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds registry backends with {@link ServiceLoader} and picks the one for a host, explaining
 * itself when it finds none or several, as SLF4J's provider discovery does. A provider that fails
 * to load becomes a warning, not a failure: the other registries can still be served.
 */
final class BackendDiscovery {

  private final List<RegistryBackendProvider> providers;
  private final List<String> warnings;

  private BackendDiscovery(List<RegistryBackendProvider> providers, List<String> warnings) {
    this.providers = providers;
    this.warnings = warnings;
  }

  /**
   * Loads every provider on the class path, plus those given directly.
   *
   * @param extra providers given to the pipeline directly
   * @return the discovery
   */
  static BackendDiscovery load(List<RegistryBackendProvider> extra) {
    List<RegistryBackendProvider> found = new ArrayList<>(extra);
    List<String> warnings = new ArrayList<>();
    Iterator<RegistryBackendProvider> iterator =
        ServiceLoader.load(RegistryBackendProvider.class, BackendDiscovery.class.getClassLoader())
            .iterator();
    while (true) {
      try {
        if (!iterator.hasNext()) {
          break;
        }
        found.add(iterator.next());
      } catch (ServiceConfigurationError e) {
        warnings.add("a registry backend failed to load and is ignored: " + e.getMessage());
      }
    }
    return new BackendDiscovery(List.copyOf(found), List.copyOf(warnings));
  }

  List<String> warnings() {
    return warnings;
  }

  /**
   * The provider for a host, or a sentence saying why there is none.
   *
   * @param registryHost the host
   * @param pinnedId the id the target pinned, if any
   * @return the choice
   */
  Choice choose(String registryHost, Optional<String> pinnedId) {
    if (pinnedId.isPresent()) {
      return providers.stream()
          .filter(provider -> provider.id().equals(pinnedId.get()))
          .findFirst()
          .map(Choice::of)
          .orElseGet(
              () ->
                  Choice.problem(
                      "no registry backend with id '"
                          + pinnedId.get()
                          + "' is on the class path (found: "
                          + ids(providers)
                          + ")"));
    }
    List<RegistryBackendProvider> claiming =
        providers.stream().filter(provider -> provider.claims(registryHost)).toList();
    if (claiming.size() == 1) {
      return Choice.of(claiming.get(0));
    }
    if (claiming.isEmpty()) {
      return Choice.problem(noBackend(registryHost));
    }
    return Choice.problem(
        "registry backends "
            + claiming.stream()
                .map(provider -> "'" + provider.id() + "' (" + provider.getClass().getName() + ")")
                .collect(Collectors.joining(" and "))
            + " all claim "
            + registryHost
            + "; pin one with Target.to(...).backend(\""
            + claiming.get(0).id()
            + "\") or remove the other from the class path");
  }

  private String noBackend(String registryHost) {
    Optional<KnownRegistry> known = KnownRegistry.of(registryHost);
    if (known.isPresent()) {
      return registryHost
          + " is "
          + known.get().displayName()
          + ", whose backend is not on the class path: add dev.fanout:"
          + known.get().artifactId()
          + " (or push with the generic registry backend: Target.to(...).backend(\"oci\"))";
    }
    return "no registry backend claims "
        + registryHost
        + " (found: "
        + ids(providers)
        + "); add dev.fanout:fanout-core, whose generic backend serves any OCI registry";
  }

  private static String ids(List<RegistryBackendProvider> providers) {
    return providers.isEmpty()
        ? "none"
        : providers.stream().map(RegistryBackendProvider::id).collect(Collectors.joining(", "));
  }

  /** A chosen provider, or the reason there is none. */
  record Choice(Optional<RegistryBackendProvider> provider, Optional<String> problem) {
    static Choice of(RegistryBackendProvider provider) {
      return new Choice(Optional.of(provider), Optional.empty());
    }

    static Choice problem(String problem) {
      return new Choice(Optional.empty(), Optional.of(problem));
    }
  }
}
