package dev.fanout.dockerhub;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real Distribution registry ({@code docker-registry}, 2.8) in token-auth mode, as Docker Hub
 * runs: {@code auth.token} with the realm of a {@link TestTokenServer}, the service {@code
 * registry.docker.io}, and the test certificate as {@code rootcertbundle} (registry-protocols.md
 * §8). It listens on a free port of 127.0.0.1 and keeps its storage in a temporary folder.
 *
 * <p>The testkit's {@code LocalRegistry} offers no token mode, so this module starts its own.
 */
final class TokenAuthRegistry implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
  private static final HttpClient PROBE =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final Path folder;
  private final Process process;
  private final StringBuffer log = new StringBuffer();
  private final int port;

  private TokenAuthRegistry(Path folder, Process process) throws InterruptedException {
    this.folder = folder;
    this.process = process;
    Thread pump = new Thread(this::pump, "token-registry-log-" + process.pid());
    pump.setDaemon(true);
    pump.start();
    this.port = awaitReady();
  }

  /**
   * Starts a registry that trusts the tokens of {@code tokens}.
   *
   * @param tokens the token service whose realm the registry names in its challenges
   * @param signer the signer whose certificate the registry trusts
   */
  static TokenAuthRegistry start(TestTokenServer tokens, TokenSigner signer)
      throws IOException, InterruptedException {
    Path folder = Files.createTempDirectory("fanout-token-registry-");
    Path bundle = Files.writeString(folder.resolve("token-root.pem"), signer.certificatePem());
    Path data = Files.createDirectory(folder.resolve("data"));
    Path config =
        Files.writeString(
            folder.resolve("config.yml"),
            """
            version: 0.1
            log:
              level: info
              formatter: text
              accesslog:
                disabled: false
            storage:
              filesystem:
                rootdirectory: %s
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:0
              secret: fanout-dockerhub-test
            auth:
              token:
                realm: %s
                service: %s
                issuer: %s
                rootcertbundle: %s
            """
                .formatted(data, tokens.realm(), TestTokenServer.SERVICE, TestTokenServer.ISSUER,
                    bundle));
    ProcessBuilder builder =
        new ProcessBuilder(List.of("docker-registry", "serve", config.toString()))
            .directory(folder.toFile())
            .redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
    return new TokenAuthRegistry(folder, builder.start());
  }

  /** Where the registry listens: {@code 127.0.0.1:PORT}. */
  String host() {
    return "127.0.0.1:" + port;
  }

  /** The endpoint override that points Docker Hub targets here, over plain HTTP. */
  String url() {
    return "http://" + host();
  }

  /** The registry's log so far, one access-log line per request. */
  String log() {
    return log.toString();
  }

  /** The access-log lines of requests with this method and a path containing {@code path}. */
  List<String> requests(String method, String path) {
    return log().lines()
        .filter(line -> line.contains("\"" + method + " ") && line.contains(path))
        .filter(line -> line.contains("HTTP/1.1\""))
        .toList();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private int awaitReady() throws InterruptedException {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline) && process.isAlive()) {
      Matcher matcher = LISTENING.matcher(log);
      if (matcher.find()) {
        int found = Integer.parseInt(matcher.group(1));
        if (answersWithChallenge(found)) {
          return found;
        }
      }
      Thread.sleep(10);
    }
    process.destroyForcibly();
    throw new IllegalStateException("the token-auth registry did not start:\n" + log);
  }

  private static boolean answersWithChallenge(int port) throws InterruptedException {
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
            .timeout(Duration.ofSeconds(2))
            .build();
    try {
      return PROBE.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 401;
    } catch (IOException e) {
      return false;
    }
  }

  private void pump() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        log.append(line).append('\n');
      }
    } catch (IOException e) {
      log.append("[stopped reading the registry log: ").append(e.getMessage()).append("]\n");
    }
  }
}
