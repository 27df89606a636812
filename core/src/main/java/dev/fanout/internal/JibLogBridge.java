package dev.fanout.internal;

import com.google.cloud.tools.jib.api.LogEvent;
import dev.fanout.internal.text.UntrustedText;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards Jib's log events for one build or target to SLF4J, prefixed with what they concern,
 * scrubbed of secrets and neutralised. Jib's chatter goes to debug; its warnings and errors to
 * warn. Its messages for people (lifecycle, info, warnings, errors) also go to the target's log for
 * run listeners.
 */
final class JibLogBridge implements Consumer<LogEvent> {

  private static final Logger LOG = LoggerFactory.getLogger("dev.fanout.jib");

  /**
   * Jib tries HTTPS first on every request to a registry that allows plain HTTP, and warns each
   * time it falls back. For a target that asked for plain HTTP that is expected, not a warning.
   */
  private static final Pattern PLAIN_HTTP_FALLBACK =
      Pattern.compile("^(Cannot verify server at https://|Failed to connect to https://).*");

  private final String subject;
  private final Redactor redactor;
  private final boolean plainHttpExpected;
  private final Consumer<String> targetLog;

  JibLogBridge(
      String subject, Redactor redactor, boolean plainHttpExpected, Consumer<String> targetLog) {
    this.subject = subject;
    this.redactor = redactor;
    this.plainHttpExpected = plainHttpExpected;
    this.targetLog = targetLog;
  }

  @Override
  public void accept(LogEvent event) {
    boolean expectedFallback =
        plainHttpExpected && PLAIN_HTTP_FALLBACK.matcher(event.getMessage()).matches();
    LogEvent.Level level = expectedFallback ? LogEvent.Level.DEBUG : event.getLevel();
    if (level != LogEvent.Level.DEBUG && level != LogEvent.Level.PROGRESS) {
      targetLog.accept(safe(event));
    }
    switch (level) {
      case ERROR, WARN -> {
        if (LOG.isWarnEnabled()) {
          LOG.warn("{}: {}", subject, safe(event));
        }
      }
      default -> {
        if (LOG.isDebugEnabled()) {
          LOG.debug("{}: {}", subject, safe(event));
        }
      }
    }
  }

  /**
   * The event's message scrubbed of secrets, then neutralised: Jib quotes registries' answers, and
   * standard error is read for workflow commands as standard output is.
   */
  private String safe(LogEvent event) {
    return UntrustedText.logLine(redactor.scrub(event.getMessage()));
  }
}
