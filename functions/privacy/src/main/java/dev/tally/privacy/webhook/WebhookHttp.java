package dev.tally.privacy.webhook;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The one HTTP exchange a webhook destination needs: {@link JdkWebhookHttp} in production, a fake in unit tests.
 * Redirects are not followed (a secret header must not travel to another host).
 */
public interface WebhookHttp {

    /**
     * Sends one request and reads the answer, whatever its status.
     *
     * @param body    the request body, or null for none
     * @param timeout for the whole exchange, answer included
     * @throws java.net.http.HttpTimeoutException when {@code timeout} passes first
     * @throws IOException                        when there is no answer (connection refused, reset, …)
     */
    Response send(String method, URI url, Map<String, String> headers, String body, Duration timeout)
            throws IOException;

    /** An answer: status, headers (names compared without case) and the body as text. */
    record Response(int status, Map<String, List<String>> headers, String body) {
        public Response {
            TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.forEach((name, values) -> copy.merge(name, List.copyOf(values), (a, b) -> {
                List<String> all = new java.util.ArrayList<>(a);
                all.addAll(b);
                return List.copyOf(all);
            }));
            headers = java.util.Collections.unmodifiableMap(copy);
            body = body == null ? "" : body;
        }

        public Response(int status, String body) {
            this(status, Map.of(), body);
        }

        /** The first value of the header, if any. */
        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }
    }
}
