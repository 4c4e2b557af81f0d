package dev.tally.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The month being generated: its spec and calendar, and the entities the planners create (accounts, clusters,
 * services, instances, volumes, other resources, product areas, invoice ids), which the task scheduler, the
 * event queue, the bill rows and the manifest then read.
 */
final class Month {
    final MonthSpec spec;
    final Times times;
    final long start;
    final long end;
    final int hours;

    Model.Account payer;
    final List<Model.Account> accounts = new ArrayList<>();
    final List<Model.Cluster> clusters = new ArrayList<>();
    final List<Model.Cluster> hostClusters = new ArrayList<>();
    final List<Model.Service> services = new ArrayList<>();
    final List<Model.Instance> instances = new ArrayList<>();
    final Map<String, List<Model.Instance>> instancesByPlace = new LinkedHashMap<>();
    final List<Model.Volume> volumes = new ArrayList<>();
    final List<Model.Other> others = new ArrayList<>();
    final List<String> areas = new ArrayList<>();
    String invoiceMain;
    String invoiceMarketplace;
    /** Expected bill rows (the planners' estimate), for placing the malformed rows. */
    long estimatedRows;
    int instancesTerminated;

    Month(MonthSpec spec) {
        this.spec = spec;
        this.times = new Times(spec.period());
        this.start = times.start;
        this.end = times.end;
        this.hours = times.hours;
    }

    String area(SplittableRandom r) {
        return Draw.pick(r, areas);
    }
}
