package dev.tally.privacy.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an {@code ASYNC_JOB} destination's work is waiting for, carried in {@code Pending.state} between
 * {@code execute} and each {@code poll}: one entry per request, {@code "request:<id>"} →
 * {@code {"job_ids": [...], "done": [...], "calls": n, "last_status_code": s}}. Holds no subject ids.
 */
final class AsyncJobs {
    private static final String PREFIX = "request:";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request's jobs and calls so far. */
    static final class Jobs {
        final List<String> jobIds = new ArrayList<>();
        final Set<String> done = new LinkedHashSet<>();
        int calls;
        int lastStatusCode;

        void answered(int status) {
            calls++;
            lastStatusCode = status;
        }

        boolean finished() {
            return done.containsAll(jobIds);
        }

        /** The receipt's evidence: {@code calls}, {@code job_ids}, {@code last_status_code}. */
        Map<String, Object> evidence() {
            return WebhookExecutor.evidence(calls, jobIds, lastStatusCode, false);
        }
    }

    private final Map<String, Jobs> byRequest = new LinkedHashMap<>();

    Jobs of(String requestId) {
        return byRequest.computeIfAbsent(requestId, id -> new Jobs());
    }

    Map<String, Jobs> byRequest() {
        return Collections.unmodifiableMap(byRequest);
    }

    boolean finished() {
        return byRequest.values().stream().allMatch(Jobs::finished);
    }

    Map<String, Map<String, Object>> evidence() {
        Map<String, Map<String, Object>> evidence = new LinkedHashMap<>();
        byRequest.forEach((id, jobs) -> evidence.put(id, jobs.evidence()));
        return evidence;
    }

    Map<String, String> toState() {
        Map<String, String> state = new LinkedHashMap<>();
        byRequest.forEach((id, jobs) -> {
            ObjectNode node = JSON.createObjectNode();
            jobs.jobIds.forEach(node.putArray("job_ids")::add);
            jobs.done.forEach(node.putArray("done")::add);
            node.put("calls", jobs.calls);
            node.put("last_status_code", jobs.lastStatusCode);
            state.put(PREFIX + id, node.toString());
        });
        return state;
    }

    /** @throws IllegalArgumentException when {@code state} is not what {@link #toState()} gave */
    static AsyncJobs fromState(Map<String, String> state) {
        AsyncJobs jobs = new AsyncJobs();
        state.keySet().stream().sorted().forEach(key -> {
            if (!key.startsWith(PREFIX)) {
                throw new IllegalArgumentException("not the state of webhook jobs: key " + key);
            }
            JsonNode node;
            try {
                node = JSON.readTree(state.get(key));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("not the state of webhook jobs: " + key + " is not JSON", e);
            }
            if (node == null || !node.path("job_ids").isArray() || !node.path("done").isArray()) {
                throw new IllegalArgumentException("not the state of webhook jobs: " + key);
            }
            Jobs entry = jobs.of(key.substring(PREFIX.length()));
            node.get("job_ids").forEach(id -> entry.jobIds.add(id.asText()));
            node.get("done").forEach(id -> entry.done.add(id.asText()));
            entry.calls = node.path("calls").asInt();
            entry.lastStatusCode = node.path("last_status_code").asInt();
        });
        if (jobs.byRequest.isEmpty()) {
            throw new IllegalArgumentException("not the state of webhook jobs: empty");
        }
        return jobs;
    }
}
