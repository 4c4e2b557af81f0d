package dev.tally.privacy.webhook;

import dev.tally.privacy.target.TargetOutcome;
import dev.tally.privacy.webhook.WebhookHttp.Response;
import dev.tally.privacy.webhook.WebhookTemplate.Placeholder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The calls to one destination: its headers and secret header put on, its rate limit kept, and the answer sorted —
 * a 2xx is returned, anything else ends the work with the {@link TargetOutcome} it calls for ({@link Stop}): 429,
 * 5xx, a timeout or no answer → {@code Retry} (after {@code Retry-After}, if given); any other status →
 * {@code Failed}, with an excerpt of the answer scrubbed of the work's subject ids. Logs the target's name, statuses
 * and counts only: never a URL, a body or a header value.
 */
final class WebhookCalls {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookCalls.class);

    /** The outcome a call ended the work with. */
    static final class Stop extends Exception {
        private static final long serialVersionUID = 1L;
        final transient TargetOutcome outcome;

        Stop(TargetOutcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }

    private final WebhookConfig config;
    private final WebhookHttp http;
    private final Clock clock;
    private final Optional<TokenBucket> bucket;

    WebhookCalls(WebhookConfig config, WebhookHttp http, Clock clock, Sleeper sleeper) {
        this.config = config;
        this.http = http;
        this.clock = clock;
        this.bucket = config.rateLimitPerSecond().isPresent()
                ? Optional.of(new TokenBucket(config.rateLimitPerSecond().getAsDouble(), clock, sleeper))
                : Optional.empty();
    }

    /**
     * The headers of a call: the configured ones filled in, {@code Content-Type: application/json} when there is a
     * body and none is configured, and the secret header.
     */
    Map<String, String> headers(Map<Placeholder, String> values, Optional<String> secret, boolean withBody) {
        Map<String, String> headers = new LinkedHashMap<>();
        config.headers().forEach((name, template) -> headers.put(name, template.render(values)));
        if (withBody && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
            headers.put("Content-Type", "application/json");
        }
        config.secretHeader().ifPresent(header -> headers.put(header.name(), secret.orElseThrow()));
        return headers;
    }

    /** One exchange; returns a 2xx answer, else throws the outcome it calls for. */
    Response send(String method, URI url, Map<String, String> headers, String body, ErrorText errors) throws Stop {
        Response response;
        try {
            if (bucket.isPresent()) {
                bucket.get().acquire();
            }
            response = http.send(method, url, headers, body, config.timeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw retry("interrupted while calling the destination", Optional.empty(), -1);
        } catch (HttpTimeoutException | SocketTimeoutException e) {
            throw retry("no answer within " + seconds(config.timeout()) + " s", Optional.empty(), -1);
        } catch (IOException e) {
            // the class only: a message may hold the URL, and the URL may hold an id
            throw retry(Thread.currentThread().isInterrupted() ? "interrupted while calling the destination"
                    : "no answer: " + e.getClass().getSimpleName(), Optional.empty(), -1);
        }
        int status = response.status();
        if (status >= 200 && status < 300) {
            LOG.debug("webhook {}: HTTP {}", config.name(), status);
            return response;
        }
        String error = errors.describe("HTTP " + status, response.body());
        if (status == 429 || status >= 500) {
            throw retry(error, RetryAfter.parse(response.header("Retry-After"), clock.instant()), status);
        }
        LOG.warn("webhook {}: HTTP {}, failed for good", config.name(), status);
        throw new Stop(new TargetOutcome.Failed(error));
    }

    private Stop retry(String error, Optional<Duration> after, int status) {
        LOG.warn("webhook {}: {}, to be retried{}", config.name(), status < 0 ? "no answer" : "HTTP " + status,
                after.map(d -> " after " + d.toSeconds() + " s").orElse(""));
        return new Stop(new TargetOutcome.Retry(error, after));
    }

    private static String seconds(Duration duration) {
        return java.math.BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
    }
}
