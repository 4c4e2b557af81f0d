package dev.tally.privacy.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.privacy.PrivacyConfig.InvalidConfigException;
import dev.tally.privacy.SecretSource;
import dev.tally.privacy.Target;
import dev.tally.privacy.TargetKind;
import dev.tally.privacy.target.TargetExecutor;
import dev.tally.privacy.target.TargetOutcome;
import dev.tally.privacy.target.TargetWork;
import dev.tally.privacy.webhook.WebhookCalls.Stop;
import dev.tally.privacy.webhook.WebhookConfig.AsyncJob;
import dev.tally.privacy.webhook.WebhookConfig.Mode;
import dev.tally.privacy.webhook.WebhookHttp.Response;
import dev.tally.privacy.webhook.WebhookTemplate.Placeholder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries out work in {@code WEBHOOK} targets (docs/privacy-webhooks.md). Calls are made per request — each request's
 * subject ids in chunks of {@code max_ids_per_call}, one call per chunk — so {@code {{request_id}}} is always one
 * request's id. The first call that does not answer 2xx decides the outcome and no further calls are made; a retry
 * makes every call again (deletion APIs take a repeat, and the request id lets the destination see one). The
 * targets' entries are checked when the executor is built, so a mistake fails the cold start.
 */
public final class WebhookExecutor implements TargetExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookExecutor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Destination(WebhookConfig config, WebhookCalls calls) {
    }

    private final SecretSource secrets;
    private final WebhookHttp http;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Map<String, Destination> destinations = new ConcurrentHashMap<>();

    /** Real HTTP and time. Secret values are cached by {@code secrets} (the Secrets Manager adapter does). */
    public WebhookExecutor(Collection<Target> targets, SecretSource secrets) {
        this(targets, secrets, new JdkWebhookHttp(), Clock.systemUTC(), Sleeper.SYSTEM);
    }

    /**
     * @param targets the configured targets; those of other kinds are left out
     * @throws InvalidConfigException when a webhook's entry is wrong, naming {@code targets[<name>].<field>}
     */
    public WebhookExecutor(Collection<Target> targets, SecretSource secrets, WebhookHttp http, Clock clock,
                           Sleeper sleeper) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        targets.stream().filter(t -> t.kind() == TargetKind.WEBHOOK).forEach(t -> destinations.put(t.name(), build(t)));
    }

    private Destination build(Target target) {
        WebhookConfig config = WebhookConfig.from(target);
        return new Destination(config, new WebhookCalls(config, http, clock, sleeper));
    }

    @Override
    public TargetKind kind() {
        return TargetKind.WEBHOOK;
    }

    @Override
    public TargetOutcome execute(TargetWork work) {
        if (!work.target().supports(work.type())) {
            return new TargetOutcome.NotSupported(work.target().name() + " does not take " + work.type()
                    + " requests (its request_types)");
        }
        try {
            Destination destination = destination(work.target());
            WebhookConfig config = destination.config();
            Optional<String> secret = secret(config);
            ErrorText errors = errorText(work);
            AsyncJobs jobs = new AsyncJobs();
            for (String requestId : requestIds(work)) {
                AsyncJobs.Jobs request = jobs.of(requestId);
                for (List<String> chunk : chunks(ids(work, requestId), config.maxIdsPerCall())) {
                    Map<Placeholder, String> values = values(work, requestId);
                    values.put(Placeholder.SUBJECT_IDS_JSON, JSON.writeValueAsString(chunk));
                    values.put(Placeholder.SUBJECT_ID, chunk.get(0));
                    String body = config.body().map(b -> b.render(values)).orElse(null);
                    Response response = destination.calls().send(config.method(), URI.create(config.url().render(values)),
                            destination.calls().headers(values, secret, body != null), body, errors);
                    request.answered(response.status());
                    if (config.mode() == Mode.ASYNC_JOB) {
                        request.jobIds.add(jobId(config.asyncJob().orElseThrow(), response, errors));
                    }
                }
            }
            LOG.info("webhook {}: {} for {} request(s), {} ids: {} call(s) answered 2xx", config.name(), work.type(),
                    work.subjectsByRequest().size(), work.subjectIds().size(), calls(jobs));
            if (config.mode() != Mode.ASYNC_JOB) {
                Map<String, Map<String, Object>> evidence = new LinkedHashMap<>();
                jobs.byRequest().forEach((id, request) -> evidence.put(id, evidence(request.calls, List.of(),
                        request.lastStatusCode, config.mode() == Mode.ACCEPTED)));
                return new TargetOutcome.Done(evidence);
            }
            return new TargetOutcome.Pending(jobs.evidence(), jobs.toState(),
                    config.asyncJob().orElseThrow().pollInterval());
        } catch (Stop stop) {
            return stop.outcome;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write ids as JSON", e);
        }
    }

    @Override
    public TargetOutcome poll(TargetWork work, Map<String, String> state) {
        try {
            Destination destination = destination(work.target());
            AsyncJob async = destination.config().asyncJob().orElseThrow(() -> new Stop(new TargetOutcome.Failed(
                    work.target().name() + " is not an ASYNC_JOB webhook: there is nothing to poll")));
            Optional<String> secret = secret(destination.config());
            ErrorText errors = errorText(work);
            AsyncJobs jobs = AsyncJobs.fromState(state);
            Duration pollAfter = async.pollInterval();
            for (Map.Entry<String, AsyncJobs.Jobs> entry : jobs.byRequest().entrySet()) {
                AsyncJobs.Jobs request = entry.getValue();
                for (String jobId : List.copyOf(request.jobIds)) {
                    if (request.done.contains(jobId)) {
                        continue;
                    }
                    Map<Placeholder, String> values = values(work, entry.getKey());
                    values.put(Placeholder.JOB_ID, jobId);
                    Response response = destination.calls().send("GET", URI.create(async.statusUrl().render(values)),
                            destination.calls().headers(values, secret, false), null, errors);
                    request.answered(response.status());
                    String status = status(async, response, errors);
                    if (async.failedValues().contains(status)) {
                        LOG.warn("webhook {}: a job answered a failed value", destination.config().name());
                        return new TargetOutcome.Failed(errors.describe("job " + errors.scrub(jobId) + " failed",
                                "status " + status));
                    }
                    if (async.doneValues().contains(status)) {
                        request.done.add(jobId);
                    }
                    Optional<Duration> asked = RetryAfter.parse(response.header("Retry-After"), clock.instant());
                    if (asked.isPresent() && asked.get().compareTo(pollAfter) > 0) {
                        pollAfter = asked.get();
                    }
                }
            }
            long open = jobs.byRequest().values().stream().mapToLong(r -> r.jobIds.size() - r.done.size()).sum();
            LOG.info("webhook {}: polled, {} job(s) open", destination.config().name(), open);
            return jobs.finished() ? new TargetOutcome.Done(jobs.evidence())
                    : new TargetOutcome.Pending(jobs.evidence(), jobs.toState(), pollAfter);
        } catch (Stop stop) {
            return stop.outcome;
        }
    }

    /** A receipt's evidence (privacy.md): {@code calls}, {@code job_ids}, {@code last_status_code}; {@code accepted}. */
    static Map<String, Object> evidence(int calls, List<String> jobIds, int lastStatusCode, boolean accepted) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("calls", calls);
        evidence.put("job_ids", List.copyOf(jobIds));
        evidence.put("last_status_code", lastStatusCode);
        if (accepted) {
            evidence.put("accepted", true);
        }
        return Collections.unmodifiableMap(evidence);
    }

    private Destination destination(Target target) throws Stop {
        // a target the executor was not built with (a config reloaded since) is checked on first use
        try {
            return destinations.computeIfAbsent(target.name(), name -> build(target));
        } catch (InvalidConfigException e) {
            throw new Stop(new TargetOutcome.Failed(e.getMessage()));
        }
    }

    private Optional<String> secret(WebhookConfig config) throws Stop {
        if (config.secretHeader().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(secrets.secret(config.secretHeader().get().secretId()));
        } catch (SecretSource.SecretUnavailableException e) {
            LOG.warn("webhook {}: its secret header's secret is unavailable", config.name());
            throw new Stop(new TargetOutcome.Retry(e.getMessage(), Optional.empty()));
        }
    }

    private static String jobId(AsyncJob async, Response response, ErrorText errors) throws Stop {
        return json(response).flatMap(async.jobIdPath()::readText).filter(id -> !id.isBlank()).orElseThrow(() ->
                new Stop(new TargetOutcome.Failed(errors.describe("HTTP " + response.status() + " without a job id at "
                        + async.jobIdPath(), response.body()))));
    }

    private static String status(AsyncJob async, Response response, ErrorText errors) throws Stop {
        return json(response).flatMap(async.statusPath()::readText).orElseThrow(() ->
                new Stop(new TargetOutcome.Retry(errors.describe("HTTP " + response.status() + " without a status at "
                        + async.statusPath(), response.body()), Optional.empty())));
    }

    private static Optional<JsonNode> json(Response response) {
        try {
            return Optional.ofNullable(JSON.readTree(response.body()));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static Map<Placeholder, String> values(TargetWork work, String requestId) {
        Map<Placeholder, String> values = new EnumMap<>(Placeholder.class);
        values.put(Placeholder.REQUEST_ID, requestId);
        values.put(Placeholder.REQUEST_IDS_JSON, JSON.createArrayNode().add(requestId).toString());
        values.put(Placeholder.REQUEST_TYPE, work.type().name());
        values.put(Placeholder.SUBJECT_TYPE, work.subjectType().name());
        return values;
    }

    private static List<String> requestIds(TargetWork work) {
        return work.subjectsByRequest().keySet().stream().sorted().toList();
    }

    /** A request's subject ids as the subject type normalizes them, each once, in request order. */
    private static List<String> ids(TargetWork work, String requestId) {
        return work.subjectsByRequest().get(requestId).stream().map(work.subjectType()::normalize).distinct().toList();
    }

    private static List<List<String>> chunks(List<String> ids, int size) {
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += size) {
            chunks.add(ids.subList(from, Math.min(ids.size(), from + size)));
        }
        return chunks;
    }

    /** Every id of the work, as given and as normalized: the forms an answer might echo. */
    private static ErrorText errorText(TargetWork work) {
        List<String> ids = new ArrayList<>(work.subjectIds());
        work.subjectsByRequest().values().forEach(ids::addAll);
        return ErrorText.of(ids);
    }

    private static int calls(AsyncJobs jobs) {
        return jobs.byRequest().values().stream().mapToInt(r -> r.calls).sum();
    }
}
