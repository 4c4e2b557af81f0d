package dev.tally.privacy.webhook;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Records every call; answers with {@link #answer} (default 200 {@code {}}), or throws {@link #failure}. */
final class FakeWebhookHttp implements WebhookHttp {

    record Call(String method, URI url, Map<String, String> headers, String body, Duration timeout) {
    }

    @FunctionalInterface
    interface Answer {
        Response answer(Call call) throws IOException;
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    volatile Answer answer = call -> new Response(200, "{}");

    FakeWebhookHttp answering(Function<Call, Response> answer) {
        this.answer = answer::apply;
        return this;
    }

    FakeWebhookHttp failing(IOException failure) {
        this.answer = call -> {
            throw failure;
        };
        return this;
    }

    @Override
    public Response send(String method, URI url, Map<String, String> headers, String body, Duration timeout)
            throws IOException {
        Call call = new Call(method, url, Map.copyOf(headers), body, timeout);
        calls.add(call);
        return answer.answer(call);
    }
}
