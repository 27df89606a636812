package dev.fanout.maven;

import dev.fanout.Plan;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Prints what {@code fanout:push} would do, without any network I/O: the image, every target with
 * its backend and tags, why a target is skipped ("DOCKERHUB_TOKEN is not set"), and every problem
 * in the configuration at once. Fails the build when there is a problem. Works with {@code -o}.
 */
@Mojo(name = "plan", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class PlanMojo extends AbstractFanoutMojo {

  /** How {@link Plan#toString()} starts a problem's line. */
  private static final String PLAN_PROBLEM = "problem: ";

  /**
   * The goal, as Maven creates it.
   *
   * @param settingsDecrypter decrypts {@code settings.xml} server passwords
   */
  @Inject
  public PlanMojo(SettingsDecrypter settingsDecrypter) {
    super(settingsDecrypter);
  }

  @Override
  void execute(Assembly assembly) throws MojoFailureException {
    Plan plan = assembly.builder().plan();
    assembly.image().ifPresent(image -> getLog().info("fanout: image: " + image));
    assembly.notes().forEach(note -> getLog().info("fanout: not built yet: " + note));
    List<String> problems = Problems.of(assembly, plan);
    for (String line : plan.toString().split("\n")) {
      // The failure below lists every problem, the POM's included; the table need not.
      if (!line.startsWith(PLAN_PROBLEM)) {
        getLog().info(line);
      }
    }
    if (!problems.isEmpty()) {
      throw new MojoFailureException(Problems.message(problems));
    }
  }

  @Override
  boolean needsBuildOutput() {
    return false;
  }
}
