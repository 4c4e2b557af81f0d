package dev.tally.privacy.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link WebhookHttp} on the JDK's {@link HttpClient}: no redirects, the timeout bounding the whole exchange (the
 * client's own request timeout only covers the wait for the headers), and at most {@value #MAX_BODY_BYTES} bytes of
 * an answer kept (the rest is read and dropped: only job ids, statuses and error excerpts are wanted).
 */
public final class JdkWebhookHttp implements WebhookHttp {
    public static final int MAX_BODY_BYTES = 256 * 1024;

    private final HttpClient client;

    public JdkWebhookHttp() {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build());
    }

    public JdkWebhookHttp(HttpClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public Response send(String method, URI url, Map<String, String> headers, String body, Duration timeout)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        LimitedBody kept = new LimitedBody();
        CompletableFuture<HttpResponse<Void>> answer = client.sendAsync(request.build(),
                HttpResponse.BodyHandlers.ofByteArrayConsumer(kept::accept));
        HttpResponse<Void> response;
        try {
            response = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new HttpTimeoutException("no whole answer within " + timeout);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the answer");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("the request failed: " + e.getCause().getClass().getSimpleName(), e.getCause());
        }
        return new Response(response.statusCode(), response.headers().map(), kept.text());
    }

    /** Keeps the first bytes of a body. Called by one thread at a time, but published to the caller's thread. */
    private static final class LimitedBody {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        synchronized void accept(Optional<byte[]> chunk) {
            chunk.ifPresent(b -> bytes.write(b, 0, Math.min(b.length, MAX_BODY_BYTES - bytes.size())));
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
