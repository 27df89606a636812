package dev.fanout.examples;

import static dev.fanout.Conditions.credentialPresent;

import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.Pipeline;
import dev.fanout.Plan;
import dev.fanout.PipelineBuilder;
import dev.fanout.PushReport;
import dev.fanout.Target;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The release of a small app, as a team would write it: build the image once, push it to Docker
 * Hub, AWS ECR and Google Artifact Registry when their credentials are present, to any OCI
 * registry named by {@code FANOUT_REGISTRY}, and always write a {@code docker load}-able tarball.
 *
 * <p>With no credentials at all it still builds the image, writes the tarball and prints the plan,
 * so it shows what it would do on a CI runner that has the secrets. Exits 1 when a target failed.
 *
 * <p>Variables read: {@code DOCKERHUB_USERNAME}, {@code DOCKERHUB_TOKEN}, {@code
 * DOCKERHUB_REPOSITORY}; {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code
 * ECR_REPOSITORY}; {@code GOOGLE_APPLICATION_CREDENTIALS}, {@code GAR_REPOSITORY}; {@code
 * FANOUT_REGISTRY}, {@code FANOUT_USERNAME}, {@code FANOUT_PASSWORD}, {@code FANOUT_INSECURE};
 * {@code RELEASE_VERSION}.
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
   * @return the exit status: 0 when nothing failed, 1 otherwise
   * @throws IOException when the app's files cannot be written
   */
  static int release(Environment environment, Path output, PrintStream console) throws IOException {
    PipelineBuilder pipeline = declare(environment, output);
    Plan plan = pipeline.plan();
    console.println(plan);
    if (!plan.isValid()) {
      return 1;
    }
    PushReport report = pipeline.run();
    console.println(report);
    return report.hasFailures() ? 1 : 0;
  }

  static PipelineBuilder declare(Environment environment, Path output) throws IOException {
    String version = environment.value("RELEASE_VERSION").orElse(DEFAULT_VERSION);
    return Pipeline.prepare(environment)
        .image(app(Files.createDirectories(output.resolve("app")), version))
        .tags(version, "latest")
        .tarball(output.resolve("fanout-hello.tar"), "fanout/hello:" + version)
        .when(credentialPresent("DOCKERHUB_USERNAME", "DOCKERHUB_TOKEN"))
        .push(environment.value("DOCKERHUB_REPOSITORY").orElse("docker.io/acme/fanout-hello"))
        .when(credentialPresent("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"))
        .push(
            environment
                .value("ECR_REPOSITORY")
                .orElse("123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/fanout-hello"))
        .when(credentialPresent("GOOGLE_APPLICATION_CREDENTIALS"))
        .push(
            environment
                .value("GAR_REPOSITORY")
                .orElse("europe-docker.pkg.dev/acme/images/fanout-hello"))
        .when(credentialPresent("FANOUT_REGISTRY"))
        .push(anyRegistry(environment));
  }

  /** The registry named by {@code FANOUT_REGISTRY}; a placeholder the plan shows as skipped. */
  private static Target anyRegistry(Environment environment) {
    Target target =
        Target.to(environment.value("FANOUT_REGISTRY").orElse("registry.example.com/acme/fanout-hello"));
    if (environment.isSet("FANOUT_USERNAME") || environment.isSet("FANOUT_PASSWORD")) {
      target.credentials(CredentialSource.fromEnvironment("FANOUT_USERNAME", "FANOUT_PASSWORD"));
    }
    if (environment.value("FANOUT_INSECURE").orElse("false").equalsIgnoreCase("true")) {
      target.allowPlainHttp();
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
