package dev.tally.testkit;

import java.io.IOException;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import static dev.tally.testkit.Draw.pick;

/**
 * The events writer: a time-ordered queue of the month's events (the planners' and the task scheduler's), each
 * turned into its JSON line ({@link EventJson}) and handed to the {@link EventSink} when the simulation's clock
 * passes it, with a noise event after some of them. Holds only near-future events and planned per-entity actions.
 */
final class EventQueue {
    static final int EVENT_TASK = 0;
    static final int EVENT_CONTAINER_INSTANCE = 1;
    static final int EVENT_ATTACH = 2;
    static final int EVENT_DETACH = 3;
    static final int EVENT_INSTANCE_STATE = 4;
    static final int EVENT_NOISE = 5;
    static final int EVENT_MALFORMED = 6;

    private final MonthSpec spec;
    private final List<Model.Instance> instances;
    private final List<Model.Volume> volumes;
    private final List<Model.Service> services;
    private final SplittableRandom eventRng;
    private final SplittableRandom noiseRng;
    private final PriorityQueue<Pending> queue = new PriorityQueue<>();
    private final EventJson json = new EventJson();
    private long seq;
    private EventSink sink;

    EventQueue(Month month, SplittableRandom eventRng, SplittableRandom noiseRng) {
        this.spec = month.spec;
        this.instances = month.instances;
        this.volumes = month.volumes;
        this.services = month.services;
        this.eventRng = eventRng;
        this.noiseRng = noiseRng;
    }

    /** Where the events go once they are due (set before the first {@link #drain}). */
    void sink(EventSink s) {
        this.sink = s;
    }

    /** Forgets the events still queued (those after the month). */
    void clear() {
        queue.clear();
    }

    private static final class Pending implements Comparable<Pending> {
        final long time;
        final long seq;
        final int kind;
        final Object a;
        final Object b;
        final long x;
        final int v;
        final String s;
        final String s2;

        Pending(long time, long seq, int kind, Object a, Object b, long x, int v, String s, String s2) {
            this.time = time;
            this.seq = seq;
            this.kind = kind;
            this.a = a;
            this.b = b;
            this.x = x;
            this.v = v;
            this.s = s;
            this.s2 = s2;
        }

        @Override
        public int compareTo(Pending o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    void push(long time, int kind, Object a, Object b, long x, int v, String s, String s2) {
        queue.add(new Pending(time, seq++, kind, a, b, x, v, s, s2));
    }

    void pushTask(long time, Model.Task t, EventJson.Stage stage, int version) {
        if (t.unrecorded) {
            return; // split-cost-allocation: a task the history never hears of
        }
        push(time, EVENT_TASK, t, stage, 0, version, null, null);
    }

    void drain(long limit) throws IOException {
        while (!queue.isEmpty() && queue.peek().time < limit) {
            emit(queue.poll());
        }
    }

    private void emit(Pending p) throws IOException {
        switch (p.kind) {
            case EVENT_TASK:
                sink.emit(json.task(eventRng, (Model.Task) p.a, (EventJson.Stage) p.b, p.v, p.time), "task", false);
                break;
            case EVENT_CONTAINER_INSTANCE: {
                Model.Instance h = (Model.Instance) p.a;
                sink.emit(json.containerInstance(eventRng, h, p.s, h.ciVersion++, p.time), "container_instance", false);
                break;
            }
            case EVENT_ATTACH:
                sink.emit(json.attachVolume(eventRng, (Model.Volume) p.a, (Model.Instance) p.b, p.s2, p.time, p.x, p.s,
                        p.s == null ? null : "The volume '" + ((Model.Volume) p.a).id + "' is not in the same "
                                + "availability zone as instance '" + ((Model.Instance) p.b).id + "'"),
                        p.s == null ? "attach_volume" : "failed_api_call", false);
                break;
            case EVENT_DETACH:
                sink.emit(json.detachVolume(eventRng, (Model.Volume) p.a, (Model.Instance) p.b, p.s2, p.time, p.x, p.s,
                        p.s == null ? null : "You are not authorized to perform this operation."),
                        p.s == null ? "detach_volume" : "failed_api_call", false);
                break;
            case EVENT_INSTANCE_STATE:
                if ("terminated".equals(p.s)) {
                    sink.emit(json.instanceState(eventRng, (Model.Instance) p.a, p.s, p.time), "instance_terminated", false);
                } else {
                    sink.emit(json.instanceState(noiseRng, (Model.Instance) p.a, p.s, p.time), "noise", true);
                }
                return;
            case EVENT_NOISE:
                sink.emit(json.noise(noiseRng, p.time, pick(noiseRng, instances),
                        volumes.isEmpty() ? null : pick(noiseRng, volumes), pick(noiseRng, services)), "noise", true);
                return;
            case EVENT_MALFORMED:
                sink.emitMalformed();
                return;
            default:
                throw new IllegalStateException("event kind " + p.kind);
        }
        double rate = spec.events().noiseRate();
        if (rate > 0 && noiseRng.nextDouble() < rate) {
            push(p.time + noiseRng.nextInt(5_000), EVENT_NOISE, null, null, 0, 0, null, null);
        }
    }}
