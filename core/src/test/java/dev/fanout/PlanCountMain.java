package dev.fanout;

import static dev.fanout.Conditions.onBranch;
import static dev.fanout.Conditions.onTag;

import com.google.cloud.tools.jib.api.Jib;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one pipeline twice in a JVM whose {@code git} is a logging stand-in ({@link
 * OnePlanPerRunTest}): once with {@code run()}, once with {@code plan()} then {@code plan.run()},
 * and prints, for each, how often it was planned and which git commands ran.
 *
 * <p>Arguments: the repository folder, the file the stand-in logs each git command to.
 */
final class PlanCountMain {

  private PlanCountMain() {}

  public static void main(String[] arguments) throws Exception {
    Path repository = Path.of(arguments[0]);
    Path gitLog = Path.of(arguments[1]);
    AtomicInteger plannings = new AtomicInteger();
    AtomicInteger plannedEvents = new AtomicInteger();
    Condition counted =
        environment -> {
          plannings.incrementAndGet();
          return Verdict.no("counted");
        };
    PipelineBuilder pipeline =
        Pipeline.prepare(Environment.of(Map.of(), repository))
            .image(Jib.fromScratch())
            .tags(TagRule.branch())
            .listener(
                new RunListener() {
                  @Override
                  public void planned(Plan plan) {
                    plannedEvents.incrementAndGet();
                  }
                })
            .when(onBranch("main").and(counted))
            .push("localhost:5999/acme/app")
            .when(onTag())
            .push("localhost:5999/acme/tagged");

    pipeline.run();
    report("run()", plannings, plannedEvents, gitLog);

    Plan plan = pipeline.plan();
    plan.run();
    report("plan().run()", plannings, plannedEvents, gitLog);
  }

  private static void report(
      String how, AtomicInteger plannings, AtomicInteger plannedEvents, Path gitLog)
      throws Exception {
    String commands =
        Files.exists(gitLog)
            ? String.join("|", Files.readAllLines(gitLog, StandardCharsets.UTF_8))
            : "";
    System.out.println(
        how
            + " plannings="
            + plannings.getAndSet(0)
            + " planned-events="
            + plannedEvents.getAndSet(0)
            + " git="
            + commands);
    Files.deleteIfExists(gitLog);
  }
}
