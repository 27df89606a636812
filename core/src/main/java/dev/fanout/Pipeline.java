package dev.fanout;

/**
 * The entry point: declare a pipeline that builds an image once and pushes it to every target
 * whose condition holds.
 *
 * <pre>{@code
 * PushReport report = Pipeline.prepare()
 *     .image(Jib.fromScratch().addLayer(files, AbsoluteUnixPath.get("/app")).setEntrypoint("/app/run"))
 *     .tags("1.4.2")
 *     .when(credentialPresent("DOCKERHUB_USERNAME", "DOCKERHUB_TOKEN"))
 *         .push("docker.io/acme/app")
 *     .push(Target.to("ghcr.io/acme/app").credentials(CredentialSource.fromEnvironment("GHCR_USER", "GHCR_TOKEN")))
 *     .run();
 * }</pre>
 */
public final class Pipeline {

  private Pipeline() {}

  /**
   * A new pipeline that sees the process environment.
   *
   * @return a mutable builder
   */
  public static PipelineBuilder prepare() {
    return prepare(Environment.system());
  }

  /**
   * A new pipeline that sees exactly the given environment; what tests and embedding tools use.
   *
   * @param environment the variables conditions, credential sources and backends read
   * @return a mutable builder
   */
  public static PipelineBuilder prepare(Environment environment) {
    return new PipelineBuilder(environment);
  }
}
