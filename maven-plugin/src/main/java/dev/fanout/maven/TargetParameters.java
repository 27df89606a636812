package dev.fanout.maven;

import java.util.List;
import java.util.Map;

/**
 * One {@code <target>} in the plugin's {@code <targets>}: a repository the image is pushed to, and
 * when.
 *
 * <pre>{@code
 * <target>
 *   <image>docker.io/acme/app</image>
 *   <name>dockerhub</name>
 *   <when><credentialPresent>DOCKERHUB_USERNAME,DOCKERHUB_TOKEN</credentialPresent></when>
 *   <tagRules>semver</tagRules>
 * </target>
 * }</pre>
 *
 * <p>Maven fills the fields from the POM; the plugin reads them and never changes them.
 */
public class TargetParameters {

  /** The repository, for example {@code docker.io/acme/app}; a tag in it is added to the tags. */
  String image;

  /** The target's name in CI outputs and the JSON report; made from the image when not given. */
  String name;

  /** When the target takes part; always when not given. */
  WhenParameters when;

  /** This target's literal tags, instead of the plugin's {@code <tags>}. */
  List<String> tags;

  /**
   * This target's tag rules ({@code semver}, {@code sha}, {@code branch}, {@code pullRequest}),
   * instead of the plugin's {@code <tagRules>}.
   */
  List<String> tagRules;

  /** Whether a failure of this target leaves the build green. */
  boolean optional;

  /** The backend's id, to pin one when two claim the registry ({@code oci}, {@code ecr}, ...). */
  String backend;

  /** Allows plain HTTP; credentials travel over it only to a loopback registry. */
  boolean plainHttp;

  /** Where the credential comes from; see {@link CredentialParameters} for the default. */
  CredentialParameters credentials;

  /** Settings for the backend, such as ECR's options; passed as they are. */
  Map<String, String> options;
}
