package dev.fanout.gar;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.ComputeEngineCredentials;
import com.google.auth.oauth2.ExternalAccountAuthorizedUserCredentials;
import com.google.auth.oauth2.ExternalAccountCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ImpersonatedCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.auth.oauth2.UserCredentials;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.fanout.Environment;
import dev.fanout.Verdict;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the Google credentials for a run, in the order of Google's application default credentials
 * but reading every variable from Fanout's {@link Environment} and loading credential files itself
 * (google-auth's {@code getApplicationDefault()} reads the process environment, and probes the GCE
 * metadata server wherever it runs).
 *
 * <ol>
 *   <li>{@value #ACCESS_TOKEN}: an access token given as it is;
 *   <li>{@value #APPLICATION_CREDENTIALS}: a credential file;
 *   <li>{@value #GHA_CREDS_PATH}: the credential file google-github-actions/auth writes;
 *   <li>gcloud's application default credentials file ({@code gcloud auth application-default
 *       login}), in {@code $CLOUDSDK_CONFIG}, else {@code $HOME/.config/gcloud}, else {@code
 *       %APPDATA%\gcloud} on Windows;
 *   <li>the metadata server of a Google Cloud VM or service, only where the environment says it
 *       runs on Google Cloud and {@value #NO_GCE_CHECK} is not {@code true}.
 * </ol>
 *
 * <p>Credential files may hold a service account key, a gcloud user, a workload identity federation
 * configuration ({@code external_account}, as google-github-actions/auth writes), an impersonated
 * service account, or a workforce identity user.
 */
final class GoogleCredentialChain {

  /** An OAuth2 access token given as it is, named as in Google's Terraform provider. */
  static final String ACCESS_TOKEN = "GOOGLE_OAUTH_ACCESS_TOKEN";

  /** Google's standard variable for a credential file. */
  static final String APPLICATION_CREDENTIALS = "GOOGLE_APPLICATION_CREDENTIALS";

  /**
   * The credential file google-github-actions/auth writes and exports, besides the standard one.
   */
  static final String GHA_CREDS_PATH = "GOOGLE_GHA_CREDS_PATH";

  /** gcloud's configuration folder, when not the default. */
  static final String CLOUDSDK_CONFIG = "CLOUDSDK_CONFIG";

  /**
   * google-auth's switch that rules out the metadata server; Fanout honours it from the
   * environment.
   */
  static final String NO_GCE_CHECK = "NO_GCE_CHECK";

  /** The scope an access token needs for Artifact Registry, both the registry and the API. */
  static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

  /** The file {@code gcloud auth application-default login} writes. */
  static final String ADC_FILE = "application_default_credentials.json";

  /**
   * Variables that Google Cloud sets in its runtimes (an explicit metadata host, Cloud Run services
   * and jobs, Cloud Functions, App Engine). Any of them means a metadata server is there to ask.
   */
  static final List<String> GOOGLE_CLOUD_MARKERS =
      List.of(
          "GCE_METADATA_HOST", "K_SERVICE", "CLOUD_RUN_JOB", "FUNCTION_TARGET", "GAE_APPLICATION");

  /**
   * Where Linux shows the machine's product name; "Google Compute Engine" on GCE and GKE nodes
   * (google-auth's own static check reads the same file).
   */
  static final Path DMI_PRODUCT_NAME = Path.of("/sys/class/dmi/id/product_name");

  /** The credential file types google-auth can load, and Fanout with it. */
  static final Set<String> FILE_TYPES =
      Set.of(
          "service_account",
          "authorized_user",
          "external_account",
          "impersonated_service_account",
          "external_account_authorized_user");

  private final Environment environment;
  private final Path dmiProductName;

  GoogleCredentialChain(Environment environment) {
    this(environment, DMI_PRODUCT_NAME);
  }

  GoogleCredentialChain(Environment environment, Path dmiProductName) {
    this.environment = environment;
    this.dmiProductName = dmiProductName;
  }

  /**
   * Whether the chain has a step to use, decided from the environment and local files only.
   *
   * @return a verdict naming the step, or saying what is missing
   */
  Verdict availability() {
    if (environment.isSet(ACCESS_TOKEN)) {
      return Verdict.yes(ACCESS_TOKEN + " is set");
    }
    for (String variable : List.of(APPLICATION_CREDENTIALS, GHA_CREDS_PATH)) {
      if (environment.isSet(variable)) {
        Path file = Path.of(environment.value(variable).get().trim());
        Optional<String> problem = fileProblem(file);
        return problem.isEmpty()
            ? Verdict.yes(variable + " names a Google credential file")
            : Verdict.no(variable + " names " + file + ", which " + problem.get());
      }
    }
    Optional<Path> gcloud = gcloudFile();
    if (gcloud.isPresent() && Files.isRegularFile(gcloud.get())) {
      Optional<String> problem = fileProblem(gcloud.get());
      return problem.isEmpty()
          ? Verdict.yes("gcloud application default credentials are in " + gcloud.get())
          : Verdict.no("the gcloud credential file " + gcloud.get() + " " + problem.get());
    }
    if (onGoogleCloud()) {
      return Verdict.yes("this runs on Google Cloud, whose metadata server gives tokens");
    }
    return Verdict.no(missing());
  }

  /**
   * Loads the credentials of the first step that applies.
   *
   * @return the account
   * @throws IOException when no step applies, or its file cannot be used; the message says which
   */
  GoogleAccount load() throws IOException {
    Optional<String> token = environment.value(ACCESS_TOKEN);
    if (token.isPresent()) {
      return new GoogleAccount(
          GoogleCredentials.create(new AccessToken(token.get().trim(), null)),
          false,
          "the principal " + ACCESS_TOKEN + " was issued to",
          Optional.empty(),
          "the access token in $" + ACCESS_TOKEN);
    }
    for (String variable : List.of(APPLICATION_CREDENTIALS, GHA_CREDS_PATH)) {
      Optional<String> path = environment.value(variable);
      if (path.isPresent()) {
        return fromFile(Path.of(path.get().trim()), "$" + variable);
      }
    }
    Optional<Path> gcloud = gcloudFile();
    if (gcloud.isPresent() && Files.isRegularFile(gcloud.get())) {
      return fromFile(gcloud.get(), "gcloud's application default credentials");
    }
    if (onGoogleCloud()) {
      return new GoogleAccount(
          ComputeEngineCredentials.newBuilder().setScopes(List.of(CLOUD_PLATFORM)).build(),
          true,
          "the service account of this Google Cloud VM or service",
          Optional.empty(),
          "the metadata server");
    }
    throw new IOException("no Google credentials: " + missing());
  }

  /**
   * Whether the environment says this runs on Google Cloud, where asking the metadata server is
   * right. {@value #NO_GCE_CHECK}{@code =true} rules it out.
   *
   * @return true on Google Cloud
   */
  boolean onGoogleCloud() {
    if (noGceCheck()) {
      return false;
    }
    if (GOOGLE_CLOUD_MARKERS.stream().anyMatch(environment::isSet)) {
      return true;
    }
    try {
      return Files.isReadable(dmiProductName)
          && Files.readString(dmiProductName, StandardCharsets.UTF_8).trim().startsWith("Google");
    } catch (IOException e) {
      return false;
    }
  }

  private String missing() {
    List<String> parts = new ArrayList<>();
    parts.add(environment.whyNoValue(ACCESS_TOKEN));
    parts.add(environment.whyNoValue(APPLICATION_CREDENTIALS));
    parts.add(environment.whyNoValue(GHA_CREDS_PATH));
    parts.add(
        gcloudFile()
            .map(file -> "no gcloud credentials in " + file)
            .orElse("no gcloud credentials (neither " + CLOUDSDK_CONFIG + " nor HOME is set)"));
    parts.add(
        noGceCheck()
            ? "the metadata server is not asked (" + NO_GCE_CHECK + "=true)"
            : "not on Google Cloud, so the metadata server is not asked");
    return String.join(", ", parts);
  }

  private boolean noGceCheck() {
    return environment
        .value(NO_GCE_CHECK)
        .map(value -> value.trim().equalsIgnoreCase("true"))
        .orElse(false);
  }

  private Optional<Path> gcloudFile() {
    Optional<String> config = environment.value(CLOUDSDK_CONFIG);
    if (config.isPresent()) {
      return Optional.of(Path.of(config.get().trim(), ADC_FILE));
    }
    Optional<String> appData = environment.value("APPDATA");
    if (appData.isPresent()
        && System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
      return Optional.of(Path.of(appData.get().trim(), "gcloud", ADC_FILE));
    }
    return environment
        .value("HOME")
        .map(home -> Path.of(home.trim(), ".config", "gcloud", ADC_FILE));
  }

  private static Optional<String> fileProblem(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.of("does not exist");
    }
    try {
      String type = type(Files.readAllBytes(file));
      return FILE_TYPES.contains(type)
          ? Optional.empty()
          : Optional.of("has credential type '" + type + "', which Fanout cannot use");
    } catch (IOException e) {
      return Optional.of(e.getMessage());
    }
  }

  private static GoogleAccount fromFile(Path file, String origin) throws IOException {
    byte[] json;
    try {
      json = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IOException(origin + " names " + file + ", which cannot be read: " + e, e);
    }
    String type;
    try {
      type = type(json);
    } catch (IOException e) {
      throw new IOException(origin + " names " + file + ", which " + e.getMessage(), e);
    }
    if (!FILE_TYPES.contains(type)) {
      throw new IOException(
          origin
              + " names "
              + file
              + ", whose credential type '"
              + type
              + "' Fanout cannot use (it takes "
              + String.join(", ", FILE_TYPES.stream().sorted().toList())
              + ")");
    }
    try (InputStream in = new ByteArrayInputStream(json)) {
      return load(type, in, file, origin + " (" + file + ")");
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          origin
              + " names "
              + file
              + ", which google-auth cannot load as '"
              + type
              + "': "
              + reasons(e),
          e);
    }
  }

  private static GoogleAccount load(String type, InputStream in, Path file, String source)
      throws IOException {
    switch (type) {
      case "service_account" -> {
        ServiceAccountCredentials key = ServiceAccountCredentials.fromStream(in);
        return new GoogleAccount(
            key.createScoped(List.of(CLOUD_PLATFORM)),
            true,
            "service account " + key.getClientEmail(),
            Optional.of("serviceAccount:" + key.getClientEmail()),
            "the service account key in " + source);
      }
      case "impersonated_service_account" -> {
        ImpersonatedCredentials impersonated = ImpersonatedCredentials.fromStream(in);
        return new GoogleAccount(
            impersonated.createScoped(List.of(CLOUD_PLATFORM)),
            true,
            "service account " + impersonated.getAccount() + " (impersonated)",
            Optional.of("serviceAccount:" + impersonated.getAccount()),
            "the impersonation configuration in " + source);
      }
      case "external_account" -> {
        ExternalAccountCredentials external = ExternalAccountCredentials.fromStream(in);
        String email = external.getServiceAccountEmail();
        return new GoogleAccount(
            external.createScoped(List.of(CLOUD_PLATFORM)),
            true,
            email != null
                ? "service account " + email + " (through workload identity federation)"
                : "the workload identity federation principal of " + external.getAudience(),
            email != null ? Optional.of("serviceAccount:" + email) : Optional.empty(),
            "the workload identity federation configuration in " + source);
      }
      case "authorized_user" -> {
        return new GoogleAccount(
            UserCredentials.fromStream(in),
            true,
            "the Google user whose credentials are in " + file,
            Optional.empty(),
            "the user credentials in " + source);
      }
      default -> {
        return new GoogleAccount(
            ExternalAccountAuthorizedUserCredentials.fromStream(in),
            true,
            "the workforce identity user whose credentials are in " + file,
            Optional.empty(),
            "the workforce identity credentials in " + source);
      }
    }
  }

  /** The messages of a failure and its causes, since google-auth wraps the telling one. */
  private static String reasons(Throwable failure) {
    StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
    for (Throwable cause = failure.getCause();
        cause != null && cause != cause.getCause();
        cause = cause.getCause()) {
      if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
        text.append(" (").append(cause.getMessage()).append(')');
      }
    }
    return text.toString();
  }

  /** The {@code type} field of a credential file, read without keeping anything else. */
  private static String type(byte[] json) throws IOException {
    try {
      JsonElement root = JsonParser.parseString(new String(json, StandardCharsets.UTF_8));
      if (!root.isJsonObject()) {
        throw new IOException("is not a JSON object");
      }
      JsonObject object = root.getAsJsonObject();
      JsonElement type = object.get("type");
      if (type == null || !type.isJsonPrimitive()) {
        throw new IOException("has no \"type\" field");
      }
      return type.getAsString();
    } catch (JsonParseException | IllegalStateException e) {
      throw new IOException("is not valid JSON", e);
    }
  }
}
