package dev.fanout.internal.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A registry's answer to one request, after redirects, with at most {@link #MAX_BODY} bytes of its
 * body: registries answer small JSON documents, and an answer larger than that is not one.
 *
 * @param method the request method
 * @param uri the URI that answered (the last one of a redirect chain)
 * @param status the HTTP status
 * @param headers the headers, names in lower case, first value of each
 * @param body the body, cut at {@link #MAX_BODY} bytes
 */
record RegistryResponse(
    String method, URI uri, int status, Map<String, String> headers, byte[] body) {

  /**
   * The most of a body the transport reads: a manifest may be 4 MB (the distribution spec's minimum
   * limit), with room to spare.
   */
  static final int MAX_BODY = 8 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The headers of a JDK response in the form this record keeps.
   *
   * @param headers the JDK's headers
   * @return names in lower case, first value of each
   */
  static Map<String, String> firstValues(HttpHeaders headers) {
    Map<String, String> first = new TreeMap<>();
    headers
        .map()
        .forEach(
            (name, values) -> {
              if (!values.isEmpty()) {
                first.putIfAbsent(name.toLowerCase(Locale.ROOT), values.get(0));
              }
            });
    return Collections.unmodifiableMap(first);
  }

  /**
   * A header.
   *
   * @param name its name, in lower case
   * @return its first value
   */
  Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }

  /**
   * The OCI error codes of a JSON body ({@code {"errors":[{"code":...}]}}); none for any other
   * body.
   *
   * @return the codes in body order
   */
  List<String> errorCodes() {
    List<String> codes = new ArrayList<>();
    errors().forEach(error -> codes.add(error.path("code").asText("")));
    codes.removeIf(String::isEmpty);
    return codes;
  }

  /**
   * What the registry said, raw and untrusted: the first OCI error's message, or the start of a
   * body that is not JSON (nginx's HTML, Docker Hub's text).
   *
   * @return the text, empty when there is none
   */
  String registryText() {
    for (JsonNode error : errors()) {
      String message = error.path("message").asText("");
      if (!message.isEmpty()) {
        return message;
      }
    }
    if (!errors().isEmpty() || body.length == 0) {
      return "";
    }
    int length = Math.min(body.length, RegistryText.MAX_LENGTH * 4);
    return new String(body, 0, length, StandardCharsets.UTF_8);
  }

  private List<JsonNode> errors() {
    if (body.length == 0 || body[0] != '{') {
      return List.of();
    }
    try {
      JsonNode errors = JSON.readTree(body).path("errors");
      List<JsonNode> list = new ArrayList<>();
      if (errors.isArray()) {
        errors.forEach(list::add);
      }
      return list;
    } catch (IOException notJson) {
      return List.of();
    }
  }
}
