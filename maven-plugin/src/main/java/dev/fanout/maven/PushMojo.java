package dev.fanout.maven;

import dev.fanout.PipelineBuilder;
import dev.fanout.PipelineConfigurationException;
import dev.fanout.PushReport;
import dev.fanout.TargetResult;
import dev.fanout.TargetStatus;
import dev.fanout.report.ConsoleReporter;
import dev.fanout.report.GitHubActions;
import dev.fanout.report.JsonReport;
import java.io.File;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Builds the project's image once and pushes it to every target whose condition holds, printing the
 * plan and the report in the build log and writing {@code target/fanout/report.json}. In GitHub
 * Actions it also masks secrets and writes the step's outputs and summary. The build fails when the
 * configuration has a problem (before any network I/O) or a required target failed.
 */
@Mojo(
    name = "push",
    defaultPhase = LifecyclePhase.DEPLOY,
    requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
public class PushMojo extends AbstractFanoutMojo {

  /** Where the JSON report goes. */
  @Parameter(
      property = "fanout.reportFile",
      defaultValue = "${project.build.directory}/fanout/report.json")
  private File reportFile;

  /**
   * Whether a failed required target (or a failed build of the image) fails the Maven build. An
   * optional target's failure never does.
   */
  @Parameter(property = "fanout.failOnError", defaultValue = "true")
  private boolean failOnError;

  /**
   * The goal, as Maven creates it.
   *
   * @param settingsDecrypter decrypts {@code settings.xml} server passwords
   */
  @Inject
  public PushMojo(SettingsDecrypter settingsDecrypter) {
    super(settingsDecrypter);
  }

  @Override
  void execute(Assembly assembly) throws MojoFailureException {
    PipelineBuilder pipeline = assembly.builder();
    if (!assembly.problems().isEmpty()) {
      // Core's problems too, so that the build lists every one at once.
      throw new MojoFailureException(
          Problems.message(Problems.of(assembly, pipeline.plan().problems())));
    }
    assembly.image().ifPresent(image -> getLog().info("fanout: image: " + image));
    PrintStream log = LogStream.to(getLog());
    pipeline.listener(ConsoleReporter.to(log, ConsoleReporter.ProgressStyle.LINES));
    // Workflow commands must start their line, so they go to the process's own stdout, not the log.
    GitHubActions.fromEnvironment(assembly.environment(), System.out).ifPresent(pipeline::listener);
    pipeline.listener(JsonReport.to(reportFile.toPath()));
    PushReport report;
    try {
      report = pipeline.run();
    } catch (PipelineConfigurationException e) {
      throw new MojoFailureException(Problems.message(Problems.of(assembly, e.problems())));
    } finally {
      log.close();
    }
    getLog().info("fanout: report written to " + reportFile);
    if (report.hasRequiredFailures()) {
      String failures = failures(report);
      if (failOnError) {
        throw new MojoFailureException("fanout: " + failures);
      }
      getLog().warn("fanout: " + failures + " (failOnError is false)");
    } else if (report.hasFailures()) {
      getLog()
          .warn(
              "fanout: optional targets failed: "
                  + describe(report.withStatus(TargetStatus.FAILED)));
    }
  }

  @Override
  boolean needsBuildOutput() {
    return true;
  }

  private static String failures(PushReport report) {
    String required =
        describe(
            report.withStatus(TargetStatus.FAILED).stream().filter(r -> !r.optional()).toList());
    return report
        .buildFailure()
        .map(reason -> "the image could not be built: " + reason)
        .orElse("required targets failed: " + required);
  }

  private static String describe(List<TargetResult> results) {
    return results.stream()
        .map(r -> r.name() + " (" + r.reference() + "): " + r.detail())
        .collect(Collectors.joining("; "));
  }
}
