package dev.fanout.internal;

import com.google.cloud.tools.jib.api.LogEvent;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards Jib's log events for one build or target to SLF4J, prefixed with what they concern and
 * scrubbed of secrets. Jib's chatter goes to debug; its warnings and errors to warn.
 */
final class JibLogBridge implements Consumer<LogEvent> {

  private static final Logger LOG = LoggerFactory.getLogger("dev.fanout.jib");

  private final String subject;
  private final Redactor redactor;

  JibLogBridge(String subject, Redactor redactor) {
    this.subject = subject;
    this.redactor = redactor;
  }

  @Override
  public void accept(LogEvent event) {
    switch (event.getLevel()) {
      case ERROR, WARN -> {
        if (LOG.isWarnEnabled()) {
          LOG.warn("{}: {}", subject, redactor.scrub(event.getMessage()));
        }
      }
      default -> {
        if (LOG.isDebugEnabled()) {
          LOG.debug("{}: {}", subject, redactor.scrub(event.getMessage()));
        }
      }
    }
  }
}
