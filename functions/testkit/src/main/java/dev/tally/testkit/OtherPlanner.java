package dev.tally.testkit;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The other resources that fill the rest of the month's rows: RDS databases, S3 buckets (storage and requests),
 * DynamoDB tables, cache nodes, NAT gateways, load balancers, log groups, Lambda functions and distributions,
 * tagged with a product area or not (at least two of each).
 */
final class OtherPlanner {
    private final Month month;
    private final Times times;
    private final int hours;
    private final List<Model.Account> accounts;
    private final List<Model.Other> others;

    OtherPlanner(Month month) {
        this.month = month;
        this.times = month.times;
        this.hours = month.hours;
        this.accounts = month.accounts;
        this.others = month.others;
    }

    void plan(SplittableRandom r, double rowsToFill) {
        Catalog.OtherKind[] kinds = Catalog.OtherKind.values();
        double[] weights = {0.12, 0.10, 0.0, 0.10, 0.08, 0.10, 0.12, 0.10, 0.10, 0.06};
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        int tagged = 0;
        int untagged = 0;
        int n = 0;
        while (rowsToFill > 0 || tagged < 2 || untagged < 2) {
            double u = r.nextDouble() * total;
            int k = 0;
            while (u >= weights[k]) {
                u -= weights[k];
                k++;
            }
            Catalog.OtherKind kind = kinds[k];
            boolean tag;
            if (tagged < 2) {
                tag = true;
            } else if (untagged < 2) {
                tag = false;
            } else {
                tag = r.nextDouble() < (kind == Catalog.OtherKind.NAT_GATEWAY ? 0.1
                        : kind == Catalog.OtherKind.LOG_GROUP ? 0.3 : 0.7);
            }
            String area = tag ? month.area(r) : null;
            Model.Account a = accounts.get(r.nextInt(accounts.size()));
            String az = Catalog.AZS[r.nextInt(3)];
            String base = (area == null ? "shared" : area) + "-" + (++n);
            String id;
            switch (kind) {
                case RDS_DB:
                    id = "arn:aws:rds:" + Catalog.REGION + ":" + a.id + ":db:" + base + "-db";
                    break;
                case S3_STORAGE:
                    id = "acme-" + base + "-" + Ids.hex(r, 6);
                    break;
                case DYNAMO_TABLE:
                    id = "arn:aws:dynamodb:" + Catalog.REGION + ":" + a.id + ":table/" + base;
                    break;
                case CACHE_NODE:
                    id = "arn:aws:elasticache:" + Catalog.REGION + ":" + a.id + ":cluster:" + base + "-001";
                    break;
                case NAT_GATEWAY:
                    id = "arn:aws:ec2:" + Catalog.REGION + ":" + a.id + ":natgateway/nat-0" + Ids.hex(r, 16);
                    break;
                case LOAD_BALANCER:
                    id = "arn:aws:elasticloadbalancing:" + Catalog.REGION + ":" + a.id + ":loadbalancer/app/" + base
                            + "/" + Ids.hex(r, 16);
                    break;
                case LOG_GROUP:
                    id = "arn:aws:logs:" + Catalog.REGION + ":" + a.id + ":log-group:/ecs/" + base;
                    break;
                case LAMBDA_FUNCTION:
                    id = "arn:aws:lambda:" + Catalog.REGION + ":" + a.id + ":function:" + base;
                    break;
                default:
                    id = "arn:aws:cloudfront::" + a.id + ":distribution/E" + Ids.hex(r, 13).toUpperCase(java.util.Locale.ROOT);
            }
            double scale;
            switch (kind) {
                case S3_STORAGE:
                    scale = 10 + r.nextInt(50_000);
                    break;
                case DYNAMO_TABLE:
                    scale = 5 + r.nextInt(2_000);
                    break;
                case LOG_GROUP:
                case DISTRIBUTION:
                    scale = 0.01 + r.nextDouble() * 3;
                    break;
                case LAMBDA_FUNCTION:
                    scale = 100 + r.nextInt(60_000);
                    break;
                default:
                    scale = 1;
            }
            others.add(new Model.Other(kind, id, a, az, area, null, scale));
            rowsToFill -= kind.daily ? times.days() : hours;
            if (kind == Catalog.OtherKind.S3_STORAGE) {
                others.add(new Model.Other(Catalog.OtherKind.S3_REQUESTS, id, a, az, area, null, 100 + r.nextInt(100_000)));
                rowsToFill -= hours;
            }
            if (tag) {
                tagged++;
            } else {
                untagged++;
            }
        }
    }}
