package dev.fanout.ecr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryRequest;
import software.amazon.awssdk.services.ecr.model.EncryptionType;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;

/**
 * What a target's {@link EcrOptions} say about its repository.
 *
 * @param create whether a missing repository is created
 * @param tagMutability the tag mutability of a created repository
 * @param scanOnPush whether a created repository scans on push
 * @param encryption the encryption of a created repository
 * @param kmsKey the KMS key of a created repository, for KMS encryption
 */
record RepositorySettings(
    boolean create,
    ImageTagMutability tagMutability,
    boolean scanOnPush,
    EncryptionType encryption,
    Optional<String> kmsKey) {

  /** Creation is on unless switched off: a first push to a new repository should just work. */
  static final boolean DEFAULT_CREATE = true;

  /** ECR's own default. */
  static final ImageTagMutability DEFAULT_TAG_MUTABILITY = ImageTagMutability.MUTABLE;

  /** ECR's own default. */
  static final boolean DEFAULT_SCAN_ON_PUSH = false;

  /** ECR's own default. */
  static final EncryptionType DEFAULT_ENCRYPTION = EncryptionType.AES256;

  /**
   * The mutabilities a target may ask for. The {@code *_WITH_EXCLUSION} forms also need exclusion
   * filters, which no option carries, so they are left out.
   */
  private static final List<ImageTagMutability> MUTABILITIES =
      List.of(ImageTagMutability.MUTABLE, ImageTagMutability.IMMUTABLE);

  private static final List<EncryptionType> ENCRYPTIONS =
      List.of(EncryptionType.AES256, EncryptionType.KMS, EncryptionType.KMS_DSSE);

  private static final Set<String> KEYS =
      Set.of(
          EcrOptions.CREATE_REPOSITORY,
          EcrOptions.TAG_MUTABILITY,
          EcrOptions.SCAN_ON_PUSH,
          EcrOptions.ENCRYPTION,
          EcrOptions.KMS_KEY);

  /** The prefix of this backend's option keys. */
  private static final String PREFIX = "ecr.";

  /**
   * Reads a target's options. Call {@link #problems(Map)} first: a bad value here falls back to
   * the default.
   *
   * @param options the target's options
   * @return the settings
   */
  static RepositorySettings from(Map<String, String> options) {
    return new RepositorySettings(
        bool(options, EcrOptions.CREATE_REPOSITORY).orElse(DEFAULT_CREATE),
        choice(options, EcrOptions.TAG_MUTABILITY, MUTABILITIES).orElse(DEFAULT_TAG_MUTABILITY),
        bool(options, EcrOptions.SCAN_ON_PUSH).orElse(DEFAULT_SCAN_ON_PUSH),
        choice(options, EcrOptions.ENCRYPTION, ENCRYPTIONS).orElse(DEFAULT_ENCRYPTION),
        Optional.ofNullable(options.get(EcrOptions.KMS_KEY)).filter(key -> !key.isBlank()));
  }

  /**
   * Every problem with a target's {@code ecr.} options, each a sentence.
   *
   * @param options the target's options
   * @return the problems; empty when there are none
   */
  static List<String> problems(Map<String, String> options) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> option : options.entrySet()) {
      String key = option.getKey();
      String value = option.getValue();
      if (key.startsWith(PREFIX) && !KEYS.contains(key)) {
        problems.add("unknown ECR option '" + key + "' (known: " + String.join(", ", sorted()) + ")");
      } else if ((key.equals(EcrOptions.CREATE_REPOSITORY) || key.equals(EcrOptions.SCAN_ON_PUSH))
          && bool(options, key).isEmpty()) {
        problems.add(key + " must be true or false, was '" + value + "'");
      } else if (key.equals(EcrOptions.TAG_MUTABILITY)
          && choice(options, key, MUTABILITIES).isEmpty()) {
        problems.add(key + " must be MUTABLE or IMMUTABLE, was '" + value + "'");
      } else if (key.equals(EcrOptions.ENCRYPTION) && choice(options, key, ENCRYPTIONS).isEmpty()) {
        problems.add(key + " must be AES256, KMS or KMS_DSSE, was '" + value + "'");
      } else if (key.equals(EcrOptions.KMS_KEY) && value.isBlank()) {
        problems.add(key + " is blank; name a KMS key id, ARN or alias, or leave the option out");
      }
    }
    boolean aes =
        !options.containsKey(EcrOptions.ENCRYPTION)
            || choice(options, EcrOptions.ENCRYPTION, ENCRYPTIONS)
                .filter(EncryptionType.AES256::equals)
                .isPresent();
    if (options.containsKey(EcrOptions.KMS_KEY) && aes) {
      problems.add(
          EcrOptions.KMS_KEY
              + " needs "
              + EcrOptions.ENCRYPTION
              + " KMS or KMS_DSSE; with AES256 ECR takes no key");
    }
    return problems;
  }

  /**
   * The request that creates a repository with these settings.
   *
   * @param registry the registry
   * @param repository the repository's name
   * @return the request
   */
  CreateRepositoryRequest createRequest(EcrRegistryHost registry, String repository) {
    return CreateRepositoryRequest.builder()
        .registryId(registry.account())
        .repositoryName(repository)
        .imageTagMutability(tagMutability)
        .imageScanningConfiguration(scanning -> scanning.scanOnPush(scanOnPush))
        .encryptionConfiguration(
            encryptionConfiguration ->
                encryptionConfiguration.encryptionType(encryption).kmsKey(kmsKey.orElse(null)))
        .build();
  }

  /**
   * The settings of a created repository, for the report.
   *
   * @return for example "tags IMMUTABLE, scan on push, AES256"
   */
  String describe() {
    return "tags "
        + tagMutability
        + ", "
        + (scanOnPush ? "scan on push" : "no scan on push")
        + ", "
        + encryption
        + kmsKey.map(key -> " with key " + key).orElse("");
  }

  private static Optional<Boolean> bool(Map<String, String> options, String key) {
    String value = options.get(key);
    if (value == null) {
      return Optional.empty();
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> Optional.of(true);
      case "false" -> Optional.of(false);
      default -> Optional.empty();
    };
  }

  private static <E extends Enum<E>> Optional<E> choice(
      Map<String, String> options, String key, List<E> allowed) {
    String value = options.get(key);
    if (value == null) {
      return Optional.empty();
    }
    String wanted = value.trim().toUpperCase(Locale.ROOT);
    return allowed.stream().filter(candidate -> candidate.toString().equals(wanted)).findFirst();
  }

  private static List<String> sorted() {
    return KEYS.stream().sorted().toList();
  }
}
