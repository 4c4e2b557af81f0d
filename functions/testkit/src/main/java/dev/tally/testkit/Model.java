package dev.tally.testkit;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** The month's entities. Plain mutable holders; only per-entity state, never per-row state. */
final class Model {
    private Model() {
    }

    static final long NEVER = Long.MAX_VALUE;

    static final class Account {
        final String id;
        final String name;
        final String subscriptionId;
        final String pricingPlanId;

        Account(String id, String name, String subscriptionId, String pricingPlanId) {
            this.id = id;
            this.name = name;
            this.subscriptionId = subscriptionId;
            this.pricingPlanId = pricingPlanId;
        }
    }

    static final class Cluster {
        final String name;
        final String arn;
        final Account account;
        final List<Instance> hosts = new ArrayList<>();

        Cluster(String name, Account account) {
            this.name = name;
            this.account = account;
            this.arn = "arn:aws:ecs:" + Catalog.REGION + ":" + account.id + ":cluster/" + name;
        }
    }

    enum CpuMode {
        /** detail.cpu "512", containers "0". */
        TASK,
        /** detail.cpu "0", containers carry the units. */
        ZERO_TASK,
        /** detail.cpu absent, containers carry the units. */
        CONTAINERS_ONLY,
        /** neither: the spec's minimum share of 2 applies. */
        NONE
    }

    static final class Service {
        final int index;
        final String name;
        final Cluster cluster;
        final boolean fargate;
        final boolean job;
        /** product area in areas.json, null when unmapped */
        String area;
        /** areas.json key is "cluster/service" instead of "service" */
        boolean mapByClusterKey;
        int cpu;
        int memory;
        CpuMode cpuMode;
        String[] containers;
        int[] containerCpu;
        int revision;
        String startedBy;
        // long-running services
        double base;
        double amp;
        double meanLifeHours;
        double deployEveryHours;
        // job families
        int periodHours;
        int offsetHour;
        int offsetMinute;
        int perRun;
        int minMinutes;
        int maxMinutes;
        final List<Task> running = new ArrayList<>();

        Service(int index, String name, Cluster cluster, boolean fargate, boolean job) {
            this.index = index;
            this.name = name;
            this.cluster = cluster;
            this.fargate = fargate;
            this.job = job;
        }

        String group() {
            return (job ? "family:" : "service:") + name;
        }

        /** The key the allocation uses for this group (spec §1: service without prefix, families whole). */
        String serviceKey() {
            return job ? group() : name;
        }
    }

    static final class Instance {
        final String id;
        final Catalog.InstanceType type;
        final Account account;
        final String az;
        final Cluster cluster;
        long launch;
        long terminate = NEVER;
        String tag;
        long tagFrom = Long.MIN_VALUE;
        String nameTag;
        boolean reserved;
        boolean dataTransfer;
        BigDecimal blendedRate;
        // ECS hosts
        String containerInstanceArn;
        long registered;
        long draining = NEVER;
        int ciVersion;
        int activeTasks;
        boolean inPeriodLaunch;
        /** {@code split-cost-allocation}: the tasks placed here whose run may still reach the coming hours, else null. */
        List<Task> hosted;

        Instance(String id, Catalog.InstanceType type, Account account, String az, Cluster cluster) {
            this.id = id;
            this.type = type;
            this.account = account;
            this.az = az;
            this.cluster = cluster;
        }

        boolean host() {
            return cluster != null;
        }

        boolean aliveAt(long t, long marginBefore, long marginAfter) {
            return launch + marginBefore <= t && (terminate == NEVER || t + marginAfter < terminate);
        }
    }

    static final class Volume {
        final String id;
        final Catalog.VolumeType type;
        final int sizeGb;
        final Account account;
        final String az;
        long created;
        long deleted = NEVER;
        boolean daily;
        String tag;
        String nameTag;

        Volume(String id, Catalog.VolumeType type, int sizeGb, Account account, String az) {
            this.id = id;
            this.type = type;
            this.sizeGb = sizeGb;
            this.account = account;
            this.az = az;
        }
    }

    static final class Other {
        final Catalog.OtherKind kind;
        final String resourceId;
        final Account account;
        final String az;
        final String tag;
        final String nameTag;
        final double scale;

        Other(Catalog.OtherKind kind, String resourceId, Account account, String az, String tag, String nameTag,
              double scale) {
            this.kind = kind;
            this.resourceId = resourceId;
            this.account = account;
            this.az = az;
            this.tag = tag;
            this.nameTag = nameTag;
            this.scale = scale;
        }
    }

    static final class Task {
        final Service service;
        final String arn;
        final Instance host;
        final String az;
        final int revision;
        final long created;
        final boolean failed;
        long pullStarted = -1;
        long pullStopped = -1;
        long started = -1;
        long stopping = -1;
        long stopped = -1;
        boolean stopScheduled;
        int plannedStopHour = -1;
        long plannedStopping = -1;
        String stopCode;
        String stoppedReason;
        Integer exitCode;
        String[] containerArns;
        String attachmentId;
        String eni;
        String ip;
        String mac;
        /** {@code split-cost-allocation}: the task's events are not written (only the bill knows it). */
        boolean unrecorded;
        /** {@code split-cost-allocation}: its split line items carry the ECS-managed tags. */
        boolean ecsTags;

        Task(Service service, String arn, Instance host, String az, int revision, long created, boolean failed) {
            this.service = service;
            this.arn = arn;
            this.host = host;
            this.az = az;
            this.revision = revision;
            this.created = created;
            this.failed = failed;
        }
    }
}
