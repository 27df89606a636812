package dev.fanout.examples;

import static dev.fanout.Conditions.credentialPresent;
import static dev.fanout.Conditions.onBranch;
import static dev.fanout.Conditions.onSemverTag;
import static dev.fanout.TagRule.branch;
import static dev.fanout.TagRule.semver;
import static dev.fanout.TagRule.sha;

import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.PipelineBuilder;
import dev.fanout.PipelineConfigurationException;
import dev.fanout.Target;
import dev.fanout.report.ConsoleReporter;
import dev.fanout.report.GitHubActions;
import dev.fanout.report.JsonReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The release of a small app, as a team would write it: build the image once; push version tags
 * ({@code v1.2.3} → {@code 1.2.3}, {@code 1.2}, {@code 1}, {@code latest}) to Docker Hub for the
 * public, and every commit on {@code main} ({@code sha-1a2b3c4}, {@code main}) to AWS ECR, which
 * the deployments poll; also push to Google Artifact Registry (an optional mirror) and to any OCI
 * registry named by {@code FANOUT_REGISTRY}, each when its credentials are present; always write a
 * {@code docker load}-able tarball.
 *
 * <p>With no credentials at all it still builds the image, writes the tarball and prints the plan,
 * so it shows what it would do on a CI runner that has the secrets. In GitHub Actions it masks the
 * secrets it holds and writes the step's outputs and summary. Exits 1 when a required target
 * failed.
 *
 * <p>Variables read: {@code DOCKERHUB_USERNAME}, {@code DOCKERHUB_TOKEN}, {@code
 * DOCKERHUB_REPOSITORY}; {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code
 * ECR_REPOSITORY}; {@code GOOGLE_APPLICATION_CREDENTIALS}, {@code GAR_REPOSITORY}; {@code
 * FANOUT_REGISTRY}, {@code FANOUT_USERNAME}, {@code FANOUT_PASSWORD}; {@code FANOUT_INSECURE}
 * (plain HTTP to every target, for local stand-ins); {@code FANOUT_REPORT} (where to write the JSON
 * report); {@code RELEASE_VERSION}; the git ref from GitHub's or GitLab's variables, or else from
 * git.
 */
public final class ReleasePipeline {

  /** The version tagged when {@code RELEASE_VERSION} is not set. */
  static final String DEFAULT_VERSION = "1.0.0";

  /** Where the pipeline writes the app's files and the tarball, relative to the working folder. */
  static final Path DEFAULT_OUTPUT = Path.of("target", "release");

  private ReleasePipeline() {}

  /**
   * Runs the release with the process environment.
   *
   * @param args ignored
   * @throws IOException when the app's files cannot be written
   */
  public static void main(String[] args) throws IOException {
    System.exit(release(Environment.system(), DEFAULT_OUTPUT, System.out));
  }

  /**
   * Runs the release.
   *
   * @param environment what the pipeline sees
   * @param output where the app's files and the tarball go
   * @param console where the plan and the report are printed
   * @return the exit status: 0 when every required target was pushed or skipped, 1 otherwise
   * @throws IOException when the app's files cannot be written
   */
  static int release(Environment environment, Path output, PrintStream console) throws IOException {
    PipelineBuilder pipeline = declare(environment, output).listener(ConsoleReporter.to(console));
    GitHubActions.fromEnvironment(environment, console).ifPresent(pipeline::listener);
    environment
        .value("FANOUT_REPORT")
        .map(Path::of)
        .map(JsonReport::to)
        .ifPresent(pipeline::listener);
    try {
      return pipeline.run().hasRequiredFailures() ? 1 : 0;
    } catch (PipelineConfigurationException e) {
      return 1; // the console reporter has printed the plan and its problems
    }
  }

  static PipelineBuilder declare(Environment environment, Path output) throws IOException {
    String version = environment.value("RELEASE_VERSION").orElse(DEFAULT_VERSION);
    return Pipeline.prepare(environment)
        .image(app(Files.createDirectories(output.resolve("app")), version))
        .tags(version, "latest")
        .tarball(output.resolve("fanout-hello.tar"), "fanout/hello:" + version)
        .when(credentialPresent("DOCKERHUB_USERNAME", "DOCKERHUB_TOKEN").and(onSemverTag()))
        .push(
            target(environment, "DOCKERHUB_REPOSITORY", "docker.io/acme/fanout-hello")
                .named("dockerhub")
                .tags(semver())
                .credentials(
                    CredentialSource.fromEnvironment("DOCKERHUB_USERNAME", "DOCKERHUB_TOKEN")))
        .when(credentialPresent("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY").and(onBranch("main")))
        .push(
            target(
                    environment,
                    "ECR_REPOSITORY",
                    "123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/fanout-hello")
                .named("ecr")
                .tags(sha(), branch()))
        .when(credentialPresent("GOOGLE_APPLICATION_CREDENTIALS"))
        .push(
            target(environment, "GAR_REPOSITORY", "europe-docker.pkg.dev/acme/images/fanout-hello")
                .named("gar")
                .optional())
        .when(credentialPresent("FANOUT_REGISTRY"))
        .push(anyRegistry(environment).named("registry"));
  }

  /**
   * A target whose repository a variable may change, reached over plain HTTP when {@code
   * FANOUT_INSECURE} is {@code true}: how a local stand-in takes a registry's place.
   */
  private static Target target(Environment environment, String variable, String repository) {
    Target target = Target.to(environment.value(variable).orElse(repository));
    if (environment.value("FANOUT_INSECURE").orElse("false").equalsIgnoreCase("true")) {
      target.allowPlainHttp();
    }
    return target;
  }

  /** The registry named by {@code FANOUT_REGISTRY}; a placeholder the plan shows as skipped. */
  private static Target anyRegistry(Environment environment) {
    Target target =
        target(environment, "FANOUT_REGISTRY", "registry.example.com/acme/fanout-hello");
    if (environment.isSet("FANOUT_USERNAME") || environment.isSet("FANOUT_PASSWORD")) {
      target.credentials(CredentialSource.fromEnvironment("FANOUT_USERNAME", "FANOUT_PASSWORD"));
    }
    return target;
  }

  /** A two-file app on an empty base image, reproducible: same version, same digest. */
  private static JibContainerBuilder app(Path folder, String version) throws IOException {
    Path run = Files.writeString(folder.resolve("run.sh"), "#!/bin/sh\ncat /app/VERSION\n");
    Path versionFile = Files.writeString(folder.resolve("VERSION"), version + "\n");
    return Jib.fromScratch()
        .addLayer(List.of(run, versionFile), AbsoluteUnixPath.get("/app"))
        .setEntrypoint("/app/run.sh")
        .setCreationTime(Instant.EPOCH)
        .addLabel("org.opencontainers.image.version", version);
  }
}
