package dev.fanout.ecr;

import dev.fanout.Environment;
import dev.fanout.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The AWS SDK v2 default credential chain, read from Fanout's {@link Environment} instead of the
 * process, and without its last step, the EC2 instance metadata service.
 *
 * <p>The steps, in the SDK's order: the system properties {@code aws.accessKeyId} and {@code
 * aws.secretAccessKey}; the variables {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and
 * {@code AWS_SESSION_TOKEN}; web identity ({@code AWS_ROLE_ARN} and {@code
 * AWS_WEB_IDENTITY_TOKEN_FILE}, exchanged with STS in the target's region); the profile {@code
 * AWS_PROFILE} (else {@code default}) in {@code AWS_SHARED_CREDENTIALS_FILE} and {@code
 * AWS_CONFIG_FILE} (else under {@code $HOME/.aws}); container credentials ({@code
 * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI} or {@code _FULL_URI}).
 *
 * <p>Instance metadata is left out on purpose: asking it is a network call that, off EC2, hangs
 * for a second or more before failing, and a plan must stay offline. On EC2, use an instance
 * profile through a {@code credential_source = Ec2InstanceMetadata} profile.
 */
final class AwsCredentialChain {

  static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
  static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";
  static final String ROLE_ARN = "AWS_ROLE_ARN";
  static final String WEB_IDENTITY_TOKEN_FILE = "AWS_WEB_IDENTITY_TOKEN_FILE";
  static final String ROLE_SESSION_NAME = "AWS_ROLE_SESSION_NAME";
  static final String PROFILE = "AWS_PROFILE";
  static final String SHARED_CREDENTIALS_FILE = "AWS_SHARED_CREDENTIALS_FILE";
  static final String CONFIG_FILE = "AWS_CONFIG_FILE";
  static final String CONTAINER_RELATIVE_URI = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
  static final String CONTAINER_FULL_URI = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
  static final String STS_ENDPOINT = "AWS_ENDPOINT_URL_STS";

  /** The SDK's system properties for static credentials. */
  static final String ACCESS_KEY_ID_PROPERTY = "aws.accessKeyId";

  static final String SECRET_ACCESS_KEY_PROPERTY = "aws.secretAccessKey";

  /** The profile the SDK and the CLI use when {@code AWS_PROFILE} is not set. */
  static final String DEFAULT_PROFILE = "default";

  /** The session name STS records for a web identity role, when none is given. */
  static final String DEFAULT_ROLE_SESSION_NAME = "fanout";

  private final Environment environment;

  AwsCredentialChain(Environment environment) {
    this.environment = environment;
  }

  /**
   * Whether any step of the chain is configured, and which, without calling anything: reads the
   * environment, the system properties and the local profile files only.
   *
   * @return holds with the step that will be used, or does not with what is missing
   */
  Verdict availability() {
    List<String> missing = new ArrayList<>();
    if (property(ACCESS_KEY_ID_PROPERTY).isPresent() && property(SECRET_ACCESS_KEY_PROPERTY).isPresent()) {
      return Verdict.yes("AWS credentials are set in system properties");
    }
    if (environment.isSet(ACCESS_KEY_ID) && environment.isSet(SECRET_ACCESS_KEY)) {
      return Verdict.yes(ACCESS_KEY_ID + " and " + SECRET_ACCESS_KEY + " are set");
    }
    if (environment.isSet(ACCESS_KEY_ID) != environment.isSet(SECRET_ACCESS_KEY)) {
      String half = environment.isSet(ACCESS_KEY_ID) ? SECRET_ACCESS_KEY : ACCESS_KEY_ID;
      missing.add(environment.whyNoValue(half) + " (its partner is set)");
    } else {
      missing.add(environment.whyNoValue(ACCESS_KEY_ID));
    }
    Optional<String> webIdentityProblem = webIdentityProblem();
    if (webIdentityProblem.isEmpty()) {
      return Verdict.yes("web identity is set (" + ROLE_ARN + ", " + WEB_IDENTITY_TOKEN_FILE + ")");
    }
    missing.add(webIdentityProblem.get());
    Profiles profiles = profiles();
    if (profiles.hasProfile()) {
      return Verdict.yes("AWS profile '" + profiles.name() + "' is configured");
    }
    missing.add(profiles.absence());
    if (environment.isSet(CONTAINER_RELATIVE_URI) || environment.isSet(CONTAINER_FULL_URI)) {
      return Verdict.yes("container credentials are set (" + containerVariable() + ")");
    }
    missing.add("no container credentials");
    return Verdict.no(
        "no AWS credentials: "
            + String.join(", ", missing)
            + " (the instance metadata service is never asked)");
  }

  /**
   * The chain's configured steps as one provider for the SDK.
   *
   * @param region the region for STS, taken from the registry host
   * @param http the HTTP client for STS
   * @param resources collects what the caller must close after use
   * @return the provider
   * @throws IOException when no step is configured; the message says what is missing
   */
  AwsCredentialsProvider provider(Region region, SdkHttpClient http, List<SdkAutoCloseable> resources)
      throws IOException {
    List<AwsCredentialsProvider> steps = new ArrayList<>();
    if (property(ACCESS_KEY_ID_PROPERTY).isPresent() && property(SECRET_ACCESS_KEY_PROPERTY).isPresent()) {
      steps.add(SystemPropertyCredentialsProvider.create());
    }
    if (environment.isSet(ACCESS_KEY_ID) && environment.isSet(SECRET_ACCESS_KEY)) {
      steps.add(StaticCredentialsProvider.create(environmentCredentials()));
    }
    if (webIdentityProblem().isEmpty()) {
      steps.add(webIdentity(region, http, resources));
    }
    Profiles profiles = profiles();
    if (profiles.hasProfile()) {
      ProfileCredentialsProvider profile =
          ProfileCredentialsProvider.builder()
              .profileFile(profiles.file())
              .profileName(profiles.name())
              .build();
      resources.add(profile);
      steps.add(profile);
    }
    if (environment.isSet(CONTAINER_RELATIVE_URI) || environment.isSet(CONTAINER_FULL_URI)) {
      ContainerCredentialsProvider container = ContainerCredentialsProvider.builder().build();
      resources.add(container);
      steps.add(container);
    }
    if (steps.isEmpty()) {
      throw new IOException(availability().reason());
    }
    if (steps.size() == 1) {
      return steps.get(0);
    }
    AwsCredentialsProviderChain chain =
        AwsCredentialsProviderChain.builder()
            .credentialsProviders(steps)
            .reuseLastProviderEnabled(true)
            .build();
    resources.add(chain);
    return chain;
  }

  /**
   * The profile files the SDK clients read their own settings from, instead of the process's.
   *
   * @return the profile files, possibly none
   */
  Profiles profiles() {
    String name = environment.value(PROFILE).orElse(DEFAULT_PROFILE);
    Optional<Path> home =
        environment.value("HOME").or(() -> environment.value("USERPROFILE")).map(Path::of);
    ProfileFile.Aggregator aggregator = ProfileFile.aggregator();
    List<Path> read = new ArrayList<>();
    Optional<Path> credentials = fileOf(SHARED_CREDENTIALS_FILE, home, "credentials");
    Optional<Path> config = fileOf(CONFIG_FILE, home, "config");
    if (credentials.filter(Files::isRegularFile).isPresent()) {
      aggregator.addFile(
          ProfileFile.builder().content(credentials.get()).type(ProfileFile.Type.CREDENTIALS).build());
      read.add(credentials.get());
    }
    if (config.filter(Files::isRegularFile).isPresent()) {
      aggregator.addFile(
          ProfileFile.builder().content(config.get()).type(ProfileFile.Type.CONFIGURATION).build());
      read.add(config.get());
    }
    return new Profiles(name, aggregator.build(), read);
  }

  private Optional<Path> fileOf(String variable, Optional<Path> home, String name) {
    Optional<String> set = environment.value(variable);
    if (set.isPresent()) {
      String path = set.get();
      if (path.startsWith("~/") && home.isPresent()) {
        return Optional.of(home.get().resolve(path.substring(2)));
      }
      return Optional.of(Path.of(path));
    }
    return home.map(folder -> folder.resolve(".aws").resolve(name));
  }

  private AwsCredentials environmentCredentials() {
    String id = environment.value(ACCESS_KEY_ID).orElseThrow();
    String secret = environment.value(SECRET_ACCESS_KEY).orElseThrow();
    Optional<String> session = environment.value(SESSION_TOKEN);
    return session.isPresent()
        ? AwsSessionCredentials.create(id, secret, session.get())
        : AwsBasicCredentials.create(id, secret);
  }

  private Optional<String> webIdentityProblem() {
    boolean role = environment.isSet(ROLE_ARN);
    boolean file = environment.isSet(WEB_IDENTITY_TOKEN_FILE);
    if (!role && !file) {
      return Optional.of("no web identity (" + ROLE_ARN + ", " + WEB_IDENTITY_TOKEN_FILE + ")");
    }
    if (!role || !file) {
      return Optional.of(
          environment.whyNoValue(role ? WEB_IDENTITY_TOKEN_FILE : ROLE_ARN)
              + " (its partner is set)");
    }
    Path token = Path.of(environment.value(WEB_IDENTITY_TOKEN_FILE).orElseThrow());
    if (!Files.isRegularFile(token)) {
      return Optional.of(WEB_IDENTITY_TOKEN_FILE + " names a file that does not exist");
    }
    return Optional.empty();
  }

  /**
   * Exchanges the web identity token with STS in the registry's region, reading the token file again
   * for each exchange (Kubernetes and GitHub rotate it). Built here rather than with the SDK's
   * {@code WebIdentityTokenFileCredentialsProvider} so that the variables come from the {@link
   * Environment} and STS's region is explicit (the SDK's would look the region up, possibly in the
   * instance metadata service).
   */
  private AwsCredentialsProvider webIdentity(
      Region region, SdkHttpClient http, List<SdkAutoCloseable> resources) {
    Profiles profiles = profiles();
    var sts =
        StsClient.builder()
            .region(region)
            .httpClient(http)
            .credentialsProvider(AnonymousCredentialsProvider.create())
            .overrideConfiguration(
                o ->
                    o.retryStrategy(RetryMode.STANDARD)
                        .defaultProfileFile(profiles.file())
                        .defaultProfileName(profiles.name()));
    EcrEndpoints.override(environment, STS_ENDPOINT).ifPresent(sts::endpointOverride);
    StsClient client = sts.build();
    resources.add(client);
    String role = environment.value(ROLE_ARN).orElseThrow();
    String session = environment.value(ROLE_SESSION_NAME).orElse(DEFAULT_ROLE_SESSION_NAME);
    Path tokenFile = Path.of(environment.value(WEB_IDENTITY_TOKEN_FILE).orElseThrow());
    StsAssumeRoleWithWebIdentityCredentialsProvider provider =
        StsAssumeRoleWithWebIdentityCredentialsProvider.builder()
            .stsClient(client)
            .asyncCredentialUpdateEnabled(false)
            .refreshRequest(
                () ->
                    AssumeRoleWithWebIdentityRequest.builder()
                        .roleArn(role)
                        .roleSessionName(session)
                        .webIdentityToken(read(tokenFile))
                        .build())
            .build();
    resources.add(provider);
    return provider;
  }

  private String containerVariable() {
    return environment.isSet(CONTAINER_FULL_URI) ? CONTAINER_FULL_URI : CONTAINER_RELATIVE_URI;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the web identity token file " + file, e);
    }
  }

  private static Optional<String> property(String name) {
    return Optional.ofNullable(System.getProperty(name)).filter(value -> !value.isBlank());
  }

  /**
   * The profile files found for the {@link Environment}.
   *
   * @param name the profile to use
   * @param file the files' contents, aggregated; empty when there are none
   * @param read the files that exist
   */
  record Profiles(String name, ProfileFile file, List<Path> read) {

    boolean hasProfile() {
      return file.profile(name).isPresent();
    }

    String absence() {
      if (read.isEmpty()) {
        return "no AWS profile files";
      }
      return "no profile '" + name + "' in " + read.stream().map(Path::toString).toList();
    }
  }
}
