package dev.fanout.spi;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Decides where a credential may travel: over HTTPS to any host, over plain HTTP only to this
 * machine. The one place that decides it, for core, the transport and every backend.
 *
 * <p>"This machine" is a literal loopback address ({@code 127.0.0.0/8}, {@code ::1}) or the name
 * {@code localhost}, judged from the text alone: no name is resolved, so {@code 127.evil.example},
 * {@code localhost.example} or {@code 127.0.0.1.nip.io} are other hosts, whatever DNS says of them.
 */
public final class EndpointSafety {

  /** Four decimal octets, the first 127; each octet 0 to 255, checked below. */
  private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.[0-9]{1,3}){3}");

  private EndpointSafety() {}

  /**
   * Whether a host is this machine.
   *
   * @param hostAndPort a host, possibly with {@code :port}, an IPv6 literal in brackets or not;
   *     null (a URI's missing host) is not loopback
   * @return true for {@code localhost}, a literal {@code 127.x.y.z} and {@code ::1}
   */
  public static boolean isLoopback(@Nullable String hostAndPort) {
    if (hostAndPort == null || hostAndPort.isEmpty()) {
      return false;
    }
    String host = bareHost(hostAndPort).toLowerCase(Locale.ROOT);
    if (host.equals("localhost") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    if (!IPV4_LOOPBACK.matcher(host).matches()) {
      return false;
    }
    for (String octet : host.split("\\.")) {
      if (Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a credential may be sent to an endpoint.
   *
   * @param hostAndPort the host the credential would be sent to
   * @param plainHttp whether the connection is plain HTTP
   * @return true over HTTPS, and over plain HTTP to this machine only
   */
  public static boolean credentialsMayTravel(String hostAndPort, boolean plainHttp) {
    return !plainHttp || isLoopback(hostAndPort);
  }

  /**
   * Whether a credential may be sent to a URL, such as a token realm or an endpoint override.
   *
   * @param url the URL
   * @return true for an {@code https} URL, and for an {@code http} URL on this machine
   */
  public static boolean credentialsMayTravel(URI url) {
    String scheme = Optional.ofNullable(url.getScheme()).orElse("").toLowerCase(Locale.ROOT);
    return url.getHost() != null
        && (scheme.equals("https") || (scheme.equals("http") && isLoopback(url.getHost())));
  }

  /**
   * The sentence a plan shows when a credential would travel in clear.
   *
   * @param what what carries the credential, for example {@code the credential from config.json}
   * @param hostAndPort the host it would go to
   * @return the problem, naming what to do
   */
  public static String plainHttpProblem(String what, String hostAndPort) {
    return what
        + " would be sent over plain HTTP to "
        + hostAndPort
        + ", which is not this machine: use HTTPS, or plain HTTP only to localhost or a literal"
        + " 127.x.y.z or ::1 address";
  }

  /**
   * What is wrong with an endpoint override read from a variable (a mirror, a private endpoint, a
   * test's stand-in), found without I/O: it must be an {@code http} or {@code https} URL with a
   * host, hold no user or password, query or fragment, and be plain HTTP only to this machine,
   * since the credentials and tokens of its backend go there. Every backend that reads an override
   * checks it here.
   *
   * @param variable the variable's name, for the messages
   * @param value the variable's value
   * @param baseUrlOnly whether the URL must be a base URL without a path (a registry's)
   * @return one sentence per problem; empty when the override is usable
   */
  public static List<String> overrideProblems(String variable, String value, boolean baseUrlOnly) {
    URI url;
    try {
      url = new URI(value.trim());
    } catch (URISyntaxException e) {
      return List.of(variable + " is not a URL: " + e.getReason());
    }
    String scheme = Optional.ofNullable(url.getScheme()).orElse("").toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return List.of(
          variable + " must be an http:// or https:// URL, such as https://mirror.example.com");
    }
    if (url.getHost() == null) {
      return List.of(variable + " names no host");
    }
    List<String> problems = new ArrayList<>();
    if (url.getRawUserInfo() != null) {
      problems.add(variable + " must not hold a user or password; credentials come from elsewhere");
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      problems.add(variable + " must not have a query or fragment");
    }
    String path = Optional.ofNullable(url.getRawPath()).orElse("");
    if (baseUrlOnly && !path.isEmpty() && !path.equals("/")) {
      problems.add(
          variable
              + " must be a base URL without a path, such as https://mirror.example.com; Fanout"
              + " adds the API's paths");
    }
    if (!credentialsMayTravel(url)) {
      problems.add(plainHttpProblem("a credential for " + variable, url.getHost()));
    }
    return problems;
  }

  private static String bareHost(String hostAndPort) {
    String host = hostAndPort;
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end > 0 ? host.substring(1, end) : host.substring(1);
    }
    if (host.indexOf(':') != host.lastIndexOf(':')) {
      return host;
    }
    int colon = host.indexOf(':');
    return colon >= 0 ? host.substring(0, colon) : host;
  }
}
