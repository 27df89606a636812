package dev.fanout.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.CredentialSource;
import dev.fanout.Environment;
import dev.fanout.RegistryCredential;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The redactor")
class RedactorTest {

  private static final String USER = "robot";

  /** A quote, a backslash, a slash, a space and a plus: every escaping changes it. */
  private static final String SECRET = "s3\"c\\r/e t+9f2a";

  private final List<String> announced = Collections.synchronizedList(new ArrayList<>());
  private final Redactor redactor = new Redactor(announced::add);

  @Test
  @DisplayName("scrubs a credential's secret in every form it travels in")
  void everyForm() {
    redactor.register(RegistryCredential.of(USER, SECRET));
    byte[] pair = (USER + ":" + SECRET).getBytes(StandardCharsets.UTF_8);
    List<String> forms =
        List.of(
            SECRET,
            Base64.getEncoder().encodeToString(pair),
            Base64.getEncoder().withoutPadding().encodeToString(pair),
            Base64.getUrlEncoder().encodeToString(pair),
            Base64.getUrlEncoder().withoutPadding().encodeToString(pair),
            "s3\\\"c\\\\r/e t+9f2a",
            "s3\\\"c\\\\r\\/e t+9f2a",
            URLEncoder.encode(SECRET, StandardCharsets.UTF_8),
            URLEncoder.encode(SECRET, StandardCharsets.UTF_8).replace("+", "%20"));
    for (String form : forms) {
      String scrubbed = redactor.scrub("registry said: " + form + " (end)");
      assertTrue(scrubbed.startsWith("registry said: ****"), scrubbed);
      assertFalse(scrubbed.contains(form), scrubbed);
    }
  }

  @Test
  @DisplayName("announces the secret and user:secret in base64 once each, and nothing else")
  void announces() {
    RegistryCredential credential = RegistryCredential.of(USER, SECRET);
    redactor.register(credential);
    redactor.register(credential);
    byte[] pair = (USER + ":" + SECRET).getBytes(StandardCharsets.UTF_8);
    assertEquals(
        List.of(
                SECRET,
                Base64.getEncoder().withoutPadding().encodeToString(pair),
                Base64.getUrlEncoder().withoutPadding().encodeToString(pair))
            .stream()
            .distinct()
            .toList(),
        announced);
  }

  @Test
  @DisplayName(
      "hears of every credential made or handed out while it lives, before the read returns")
  void hearsOfReads() throws Exception {
    RegistryCredential.of("reader", "made-while-watching-1b9e");
    assertEquals("****", redactor.scrub("made-while-watching-1b9e"));

    CredentialSource given = CredentialSource.of("giver", "given-before-the-run-77d0");
    Redactor later = new Redactor(secret -> {});
    assertEquals("given-before-the-run-77d0", later.scrub("given-before-the-run-77d0"));
    given.resolve("127.0.0.1:5000", Environment.of(Map.of()));
    assertEquals("****", later.scrub("given-before-the-run-77d0"));
  }

  @Test
  @DisplayName(
      "scrubs a failure described where no redactor is at hand of every running redactor's secrets")
  void describedFailure() {
    redactor.register(RegistryCredential.of(USER, SECRET));
    String basic =
        Base64.getEncoder().encodeToString((USER + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
    String described =
        Failures.describe(
            new IllegalStateException("the registry echoed Basic " + basic + "\r::x"));
    assertTrue(described.startsWith("the registry echoed Basic ****"), described);
    assertFalse(described.contains(basic.replace("=", "")), described);
    assertFalse(described.contains("\r") || described.contains("::"), described);
  }

  @Test
  @DisplayName("registers what a plan knows before any target's work")
  void registerAll() {
    List<RegistryCredential> known =
        List.of(
            RegistryCredential.of("a", "first-secret-3c"), RegistryCredential.of("b", "second-4d"));
    Redactor fresh = new Redactor(secret -> {});
    fresh.registerAll(known);
    assertEquals("**** ****", fresh.scrub("first-secret-3c second-4d"));
  }

  @Test
  @DisplayName("scrubs a longer form whole before a shorter one inside it")
  void longestFirst() {
    redactor.register("abc");
    redactor.register("xxabcxx");
    assertEquals("****", redactor.scrub("xxabcxx"));
  }
}
