package dev.fanout.internal;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.GitRef;
import dev.fanout.Plan;
import dev.fanout.PlannedTarget;
import dev.fanout.RegistryCredential;
import dev.fanout.TagRule;
import dev.fanout.Verdict;
import dev.fanout.spi.EndpointSafety;
import dev.fanout.spi.RegistryBackend;
import dev.fanout.spi.RegistryBackendProvider;
import dev.fanout.spi.TargetSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a declared pipeline into a plan: evaluates conditions, picks backends, checks every
 * reference, tag and credential source, and collects every problem instead of stopping at the
 * first. Does no network I/O.
 */
public final class Planner {

  /** The tag a target gets when neither it nor the pipeline names one, as with {@code docker push}. */
  static final String DEFAULT_TAG = "latest";

  /**
   * A target's name: what a GitHub Actions output name and a JSON key hold without quoting, and
   * short enough to read in a step summary.
   */
  private static final Pattern VALID_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  /** Runs of characters a made-up name cannot hold, replaced by one {@code -}. */
  private static final Pattern NOT_IN_NAME = Pattern.compile("[^a-z0-9_-]+");

  private final PipelineSpec spec;
  private final Environment environment;
  private final BackendDiscovery discovery;
  private final Map<String, RegistryBackend> backends = new HashMap<>();
  private final Map<String, String> repositoriesSeen = new HashMap<>();
  private final List<String> problems = new ArrayList<>();
  private final List<PlannedTarget> planned = new ArrayList<>();
  private final List<PlannedPush> pushes = new ArrayList<>();
  private final List<RegistryCredential> credentials = new ArrayList<>();
  private final Map<String, String> namesSeen = new HashMap<>();
  private List<String> pipelineTags;

  private Planner(PipelineSpec spec) {
    this.spec = spec;
    this.environment = new PlanEnvironment(spec.environment());
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
          "no image: call image(...) with a Jib builder, ImageSource.ociLayout(...),"
              + " ImageSource.dockerArchive(...) or"
              + " ImageSource.registryImage(...)");
    } else {
      problems.addAll(spec.image().problems());
      problems.addAll(TarballRules.problems(spec));
    }
    pipelineTags = TagRule.tagsFor(spec.tags(), this::gitRef);
    for (String tag : pipelineTags) {
      JibReferences.tagProblem(tag).ifPresent(problem -> problems.add("pipeline tag " + problem));
    }
    if (spec.tarballImageName() != null) {
      JibReferences.problem(spec.tarballImageName())
          .ifPresent(problem -> problems.add("tarball image name: " + problem));
    }
    spec.targets().forEach(this::planTarget);
    String image = spec.image() == null ? "(no image)" : spec.image().toString();
    Plan plan = new Plan(image, spec.tarballPath(), planned, problems, discovery.warnings());
    return new Planning(plan, environment, pushes, credentials);
  }

  private void planTarget(TargetDeclaration declaration) {
    String label = "target '" + declaration.reference() + "'";
    Verdict verdict = evaluate(declaration, label);
    String targetName = nameOf(declaration, label);
    boolean optional = declaration.optional();
    Optional<String> referenceProblem = JibReferences.problem(declaration.reference());
    if (referenceProblem.isPresent()) {
      problems.add(label + ": " + referenceProblem.get());
      planned.add(
          new PlannedTarget(
              declaration.reference(),
              "",
              List.of(),
              verdict.holds(),
              verdict.reason(),
              targetName,
              optional));
      return;
    }
    ImageReference parsed = JibReferences.parse(declaration.reference());
    if (parsed.getDigest().isPresent()) {
      problems.add(label + ": names a digest; a target takes a repository and tags");
    }
    List<String> tags = tagsFor(declaration, parsed, label);
    if (verdict.holds() && tags.isEmpty()) {
      verdict = Verdict.no(noTags(declaration));
    }
    BackendDiscovery.Choice choice =
        discovery.choose(parsed.getRegistry(), declaration.backendId());
    if (choice.problem().isPresent()) {
      problems.add(label + ": " + choice.problem().get());
      planned.add(
          new PlannedTarget(
              declaration.reference(),
              "",
              tags,
              verdict.holds(),
              verdict.reason(),
              targetName,
              optional));
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
      pushes.add(
          new PlannedPush(planned.size(), target, backend, provider.id(), targetName, optional));
    }
    planned.add(
        new PlannedTarget(
            name, provider.id(), tags, verdict.holds(), verdict.reason(), targetName, optional));
  }

  private Verdict evaluate(TargetDeclaration declaration, String label) {
    try {
      return declaration.condition().evaluate(environment);
    } catch (RuntimeException e) {
      problems.add(label + ": its condition failed: " + e.getMessage());
      return Verdict.no("its condition failed");
    }
  }

  /**
   * The target's tags: a tag in its reference, then what its own rules give, else the pipeline's.
   * {@value #DEFAULT_TAG} only when no tag was declared at all; rules that give no tag for this
   * ref give none, and the target is skipped.
   */
  private List<String> tagsFor(TargetDeclaration declaration, ImageReference parsed, String label) {
    Set<String> tags = new LinkedHashSet<>();
    if (!parsed.usesDefaultTag()) {
      parsed.getTag().ifPresent(tags::add);
    }
    if (declaration.tags().isPresent()) {
      List<String> own = TagRule.tagsFor(declaration.tags().get(), this::gitRef);
      for (String tag : own) {
        JibReferences.tagProblem(tag).ifPresent(problem -> problems.add(label + ": tag " + problem));
      }
      tags.addAll(own);
    } else {
      tags.addAll(pipelineTags);
    }
    if (tags.isEmpty() && declaration.tags().orElse(spec.tags()).isEmpty()) {
      tags.add(DEFAULT_TAG);
    }
    return List.copyOf(tags);
  }

  private String noTags(TargetDeclaration declaration) {
    List<TagRule> rules = declaration.tags().orElse(spec.tags());
    return "its tag rules ("
        + rules.stream().map(TagRule::toString).collect(Collectors.joining(", "))
        + ") give no tag for "
        + gitRef();
  }

  /** The run's ref, read at most once per plan, and only when something needs it. */
  private GitRef gitRef() {
    return environment.gitRef();
  }

  /**
   * The target's name: the one it was given, checked, or one made from its reference as written
   * ({@code docker.io/acme/app:edge} → {@code docker-io-acme-app}), with {@code -2}, {@code -3}
   * added when another target already has it.
   */
  private String nameOf(TargetDeclaration declaration, String label) {
    if (declaration.name().isPresent()) {
      String name = declaration.name().get();
      if (!VALID_NAME.matcher(name).matches()) {
        problems.add(
            label
                + ": '"
                + name
                + "' is not a valid target name (lower-case letters, digits, - and _, starting"
                + " with a letter or digit, at most 64)");
      }
      String earlier = namesSeen.putIfAbsent(name, declaration.reference());
      if (earlier != null) {
        problems.add(label + ": the name '" + name + "' is already used by '" + earlier + "'");
      }
      return name;
    }
    String made =
        NOT_IN_NAME
            .matcher(JibReferences.name(declaration.reference()).toLowerCase(Locale.ROOT))
            .replaceAll("-")
            .replaceAll("^[-_]+|-+$", "");
    String base = made.isEmpty() ? "target" : made.substring(0, Math.min(made.length(), 60));
    String name = base;
    for (int suffix = 2; namesSeen.containsKey(name); suffix++) {
      name = base + "-" + suffix;
    }
    namesSeen.put(name, declaration.reference());
    return name;
  }

  private void checkEnabled(
      TargetDeclaration declaration, TargetSpec target, RegistryBackend backend, String label) {
    CredentialSource source = declaration.credentials().orElseGet(backend::defaultCredentials);
    String registry = target.reference().getRegistry();
    String pushHost = backend.pushHost(target, environment);
    if (!EndpointSafety.credentialsMayTravel(pushHost, target.plainHttp())
        && source.mayProvide(registry, environment)) {
      problems.add(
          label
              + ": "
              + EndpointSafety.plainHttpProblem("its credential (" + source + ")", pushHost)
              + "; or push anonymously with credentials(CredentialSource.anonymous())");
    }
    source.resolveLocally(registry, environment).ifPresent(credentials::add);
    declaration
        .credentials()
        .map(declared -> declared.problems(environment))
        .orElse(List.of())
        .forEach(problem -> problems.add(label + ": " + problem));
    backend.validate(target, environment).forEach(problem -> problems.add(label + ": " + problem));
  }

  /**
   * A planned pipeline.
   *
   * @param plan what the caller sees
   * @param environment the environment the plan was made in, its git ref read once; the run's
   *     backends see the same
   * @param pushes the enabled targets, ready for a run
   * @param credentials the enabled targets' credentials that could be read without network I/O or
   *     a credential helper ({@link CredentialSource#resolveLocally}), for a run to mask before any
   *     target's work starts; never printed
   */
  public record Planning(
      Plan plan,
      Environment environment,
      List<PlannedPush> pushes,
      List<RegistryCredential> credentials) {

    /** Copies the lists. */
    public Planning {
      pushes = List.copyOf(pushes);
      credentials = List.copyOf(credentials);
    }
  }

  /**
   * An enabled target with the backend that serves it.
   *
   * @param index the target's position in the plan and the report
   * @param target the target
   * @param backend the backend instance of this run
   * @param backendId the backend's id
   * @param name the target's name
   * @param optional whether the run still succeeds when the target fails
   */
  public record PlannedPush(
      int index,
      TargetSpec target,
      RegistryBackend backend,
      String backendId,
      String name,
      boolean optional) {}
}
