package dev.fanout.testkit;

import java.time.Duration;
import java.util.Optional;

/** What the proxy does with one request, as decided by its {@link FaultScript}. */
sealed interface Verdict {

    /** Pass the request to the upstream registry and its response back. */
    Verdict FORWARD = new Forward();

    /** See {@link Verdict#FORWARD}. */
    record Forward() implements Verdict {
    }

    /** Answer with an error status instead of forwarding; the request body is read and discarded first. */
    record Answer(ProxyEvent.Action action, int status, Optional<Duration> retryAfter) implements Verdict {
    }

    /** Read up to {@code afterBytes} bytes of the request body, then close the connection without answering. */
    record Drop(long afterBytes) implements Verdict {
    }
}
