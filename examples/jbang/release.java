///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS dev.fanout:fanout-core:0.1.0-SNAPSHOT
//DEPS dev.fanout:fanout-registry-dockerhub:0.1.0-SNAPSHOT
//DEPS dev.fanout:fanout-registry-ecr:0.1.0-SNAPSHOT
//DEPS org.slf4j:slf4j-simple:2.0.20

import static dev.fanout.Conditions.credentialPresent;
import static dev.fanout.Conditions.onBranch;
import static dev.fanout.Conditions.onSemverTag;
import static dev.fanout.TagRule.branch;
import static dev.fanout.TagRule.semver;
import static dev.fanout.TagRule.sha;
import static dev.fanout.ecr.EcrConditions.awsCredentialsPresent;

import com.google.cloud.tools.jib.api.Jib;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * The release, as one script: build the app's image once, push version tags to Docker Hub for the
 * public ({@code v1.2.3} gives {@code 1.2.3}, {@code 1.2}, {@code 1}, {@code latest}) and every
 * commit on {@code main} to ECR, which the deployments poll ({@code sha-1a2b3c4}, {@code main}).
 * Each registry takes part when its credentials are present. It replaces the original workflow's
 * {@code prepare} job, {@code docker/metadata-action}, {@code docker/login-action} and {@code
 * docker/build-push-action}, and runs the same on a laptop (the ref comes from git) as in GitHub
 * Actions (masks, outputs, summary).
 *
 * <pre>
 * jbang examples/jbang/release.java path/to/app      # the folder's files go to /app; /app/run.sh starts it
 * </pre>
 *
 * <p>Reads {@code DOCKERHUB_USERNAME}, {@code DOCKERHUB_TOKEN}, {@code DOCKERHUB_REPOSITORY}; the
 * AWS credential chain and {@code ECR_REPOSITORY}; {@code FANOUT_REPORT} (write the JSON report
 * there); {@code FANOUT_INSECURE=true} (plain HTTP, for local stand-ins of the registries). Exits 0
 * when every target was pushed or skipped, 1 when one failed, 2 when the plan has problems.
 */
class release {

  public static void main(String... args) throws Exception {
    Environment environment = Environment.system();
    Path app = Path.of(args.length > 0 ? args[0] : "app");

    Target dockerHub =
        target(environment, "DOCKERHUB_REPOSITORY", "docker.io/acme/app")
            .named("dockerhub")
            .tags(semver())
            .credentials(CredentialSource.fromEnvironment("DOCKERHUB_USERNAME", "DOCKERHUB_TOKEN"));
    Target ecr =
        target(environment, "ECR_REPOSITORY", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/app")
            .named("ecr")
            .tags(sha(), branch());

    PipelineBuilder pipeline =
        Pipeline.prepare(environment)
            .image(
                Jib.fromScratch()
                    .addLayer(files(app), AbsoluteUnixPath.get("/app"))
                    .setEntrypoint("/app/run.sh")
                    .setCreationTime(Instant.EPOCH))
            .when(credentialPresent("DOCKERHUB_USERNAME", "DOCKERHUB_TOKEN").and(onSemverTag()))
            .push(dockerHub)
            .when(awsCredentialsPresent().and(onBranch("main")))
            .push(ecr)
            .listener(ConsoleReporter.to(System.out));
    GitHubActions.fromEnvironment(environment, System.out).ifPresent(pipeline::listener);
    environment.value("FANOUT_REPORT").map(Path::of).map(JsonReport::to).ifPresent(pipeline::listener);

    try {
      System.exit(pipeline.run().hasRequiredFailures() ? 1 : 0);
    } catch (PipelineConfigurationException e) {
      System.exit(2); // the plan and its problems are printed above
    }
  }

  /** A target whose repository a variable may change, over plain HTTP for a local stand-in. */
  static Target target(Environment environment, String variable, String repository) {
    Target target = Target.to(environment.value(variable).orElse(repository));
    if (environment.value("FANOUT_INSECURE").orElse("false").equals("true")) {
      target.allowPlainHttp();
    }
    return target;
  }

  /** The app's files, in a stable order so that the same files give the same digest. */
  static List<Path> files(Path app) throws Exception {
    try (Stream<Path> files = Files.list(app)) {
      return files.sorted().toList();
    }
  }
}
