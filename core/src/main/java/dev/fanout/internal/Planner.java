package dev.fanout.internal;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.fanout.Environment;
import dev.fanout.Plan;
import dev.fanout.PlannedTarget;
import dev.fanout.Verdict;
import dev.fanout.spi.RegistryBackend;
import dev.fanout.spi.RegistryBackendProvider;
import dev.fanout.spi.TargetSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a declared pipeline into a plan: evaluates conditions, picks backends, checks every
 * reference, tag and credential source, and collects every problem instead of stopping at the
 * first. Does no network I/O.
 */
public final class Planner {

  /** The tag a target gets when neither it nor the pipeline names one, as with {@code docker push}. */
  static final String DEFAULT_TAG = "latest";

  private final PipelineSpec spec;
  private final Environment environment;
  private final BackendDiscovery discovery;
  private final Map<String, RegistryBackend> backends = new HashMap<>();
  private final Map<String, String> repositoriesSeen = new HashMap<>();
  private final List<String> problems = new ArrayList<>();
  private final List<PlannedTarget> planned = new ArrayList<>();
  private final List<PlannedPush> pushes = new ArrayList<>();

  private Planner(PipelineSpec spec) {
    this.spec = spec;
    this.environment = spec.environment();
    this.discovery = BackendDiscovery.load(spec.extraBackends());
  }

  /**
   * Plans a pipeline.
   *
   * @param spec what was declared
   * @return the public plan and what a run needs to carry it out
   */
  public static Planning plan(PipelineSpec spec) {
    return new Planner(spec).planAll();
  }

  private Planning planAll() {
    if (spec.image() == null) {
      problems.add(
          "no image: call image(...) with a Jib builder, ImageSource.dockerArchive(...) or"
              + " ImageSource.registryImage(...)");
    } else {
      problems.addAll(spec.image().problems());
    }
    for (String tag : spec.tags()) {
      JibReferences.tagProblem(tag).ifPresent(problem -> problems.add("pipeline tag " + problem));
    }
    if (spec.tarballImageName() != null) {
      JibReferences.problem(spec.tarballImageName())
          .ifPresent(problem -> problems.add("tarball image name: " + problem));
    }
    spec.targets().forEach(this::planTarget);
    String image = spec.image() == null ? "(no image)" : spec.image().toString();
    Plan plan = new Plan(image, spec.tarballPath(), planned, problems, discovery.warnings());
    return new Planning(plan, pushes);
  }

  private void planTarget(TargetDeclaration declaration) {
    String label = "target '" + declaration.reference() + "'";
    Verdict verdict = evaluate(declaration, label);
    Optional<String> referenceProblem = JibReferences.problem(declaration.reference());
    if (referenceProblem.isPresent()) {
      problems.add(label + ": " + referenceProblem.get());
      planned.add(
          new PlannedTarget(
              declaration.reference(), "", List.of(), verdict.holds(), verdict.reason()));
      return;
    }
    ImageReference parsed = JibReferences.parse(declaration.reference());
    if (parsed.getDigest().isPresent()) {
      problems.add(label + ": names a digest; a target takes a repository and tags");
    }
    List<String> tags = tagsFor(declaration, parsed, label);
    BackendDiscovery.Choice choice =
        discovery.choose(parsed.getRegistry(), declaration.backendId());
    if (choice.problem().isPresent()) {
      problems.add(label + ": " + choice.problem().get());
      planned.add(
          new PlannedTarget(declaration.reference(), "", tags, verdict.holds(), verdict.reason()));
      return;
    }
    RegistryBackendProvider provider = choice.provider().orElseThrow();
    RegistryBackend backend = backends.computeIfAbsent(provider.id(), id -> provider.create());
    ImageReference repository =
        backend.normalize(ImageReference.of(parsed.getRegistry(), parsed.getRepository(), null));
    String name = Names.repository(repository);
    String earlier = repositoriesSeen.putIfAbsent(name, declaration.reference());
    if (earlier != null) {
      problems.add(
          label + ": duplicate target, " + name + " is already declared as '" + earlier + "'");
    }
    TargetSpec target =
        new TargetSpec(
            repository,
            tags,
            declaration.credentials(),
            declaration.plainHttp(),
            declaration.options());
    if (verdict.holds()) {
      checkEnabled(declaration, target, backend, label);
      pushes.add(new PlannedPush(planned.size(), target, backend, provider.id()));
    }
    planned.add(new PlannedTarget(name, provider.id(), tags, verdict.holds(), verdict.reason()));
  }

  private Verdict evaluate(TargetDeclaration declaration, String label) {
    try {
      return declaration.condition().evaluate(environment);
    } catch (RuntimeException e) {
      problems.add(label + ": its condition failed: " + e.getMessage());
      return Verdict.no("its condition failed");
    }
  }

  private List<String> tagsFor(TargetDeclaration declaration, ImageReference parsed, String label) {
    Set<String> tags = new LinkedHashSet<>();
    if (!parsed.usesDefaultTag()) {
      parsed.getTag().ifPresent(tags::add);
    }
    tags.addAll(declaration.tags().orElse(spec.tags()));
    if (tags.isEmpty()) {
      tags.add(DEFAULT_TAG);
    }
    if (declaration.tags().isPresent()) {
      for (String tag : declaration.tags().get()) {
        JibReferences.tagProblem(tag).ifPresent(problem -> problems.add(label + ": tag " + problem));
      }
    }
    return List.copyOf(tags);
  }

  private void checkEnabled(
      TargetDeclaration declaration, TargetSpec target, RegistryBackend backend, String label) {
    String registry = target.reference().getRegistry();
    if (declaration.plainHttp()
        && declaration.credentials().isPresent()
        && !JibReferences.isLoopback(registry)) {
      problems.add(
          label
              + ": credentials travel over plain HTTP only to a loopback registry, and "
              + registry
              + " is not one; use HTTPS or drop allowPlainHttp()");
    }
    declaration
        .credentials()
        .map(source -> source.problems(environment))
        .orElse(List.of())
        .forEach(problem -> problems.add(label + ": " + problem));
    backend.validate(target, environment).forEach(problem -> problems.add(label + ": " + problem));
  }

  /**
   * A planned pipeline.
   *
   * @param plan what the caller sees
   * @param pushes the enabled targets, ready for a run
   */
  public record Planning(Plan plan, List<PlannedPush> pushes) {}

  /**
   * An enabled target with the backend that serves it.
   *
   * @param index the target's position in the plan and the report
   * @param target the target
   * @param backend the backend instance of this run
   * @param backendId the backend's id
   */
  public record PlannedPush(
      int index, TargetSpec target, RegistryBackend backend, String backendId) {}
}
