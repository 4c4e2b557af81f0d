package dev.tally.testkit;

import java.math.BigDecimal;
import java.util.List;

/** Names and list prices (us-east-1, on-demand) the generator draws from. */
final class Catalog {
    private Catalog() {
    }

    static final String REGION = "us-east-1";
    static final String[] AZS = {"us-east-1a", "us-east-1b", "us-east-1c"};

    static final String EC2 = "Amazon Elastic Compute Cloud";
    static final String ECS = "Amazon Elastic Container Service";
    static final String S3 = "Amazon Simple Storage Service";
    static final String RDS = "Amazon Relational Database Service";
    static final String DYNAMODB = "Amazon DynamoDB";
    static final String ELASTICACHE = "Amazon ElastiCache";
    static final String ELB = "Elastic Load Balancing";
    static final String CLOUDWATCH = "AmazonCloudWatch";
    static final String LAMBDA = "AWS Lambda";
    static final String CLOUDFRONT = "Amazon CloudFront";
    static final String SUPPORT = "AWS Support (Business)";
    static final String SAVINGS_PLANS = "Savings Plans for AWS Compute usage";
    static final String MARKETPLACE_PRODUCT = "Acme Observability Pro";

    static String productCode(String product) {
        switch (product) {
            case EC2: return "AmazonEC2";
            case ECS: return "AmazonECS";
            case S3: return "AmazonS3";
            case RDS: return "AmazonRDS";
            case DYNAMODB: return "AmazonDynamoDB";
            case ELASTICACHE: return "AmazonElastiCache";
            case ELB: return "AWSELB";
            case CLOUDWATCH: return "AmazonCloudWatch";
            case LAMBDA: return "AWSLambda";
            case CLOUDFRONT: return "AmazonCloudFront";
            case SUPPORT: return "AWSSupportBusiness";
            case SAVINGS_PLANS: return "ComputeSavingsPlans";
            case MARKETPLACE_PRODUCT: return "prod-acme7observ";
            default: return "";
        }
    }

    static String serviceCategory(String product) {
        switch (product) {
            case EC2:
            case ECS:
            case LAMBDA:
            case SAVINGS_PLANS:
                return "Compute";
            case S3:
                return "Storage";
            case RDS:
            case DYNAMODB:
            case ELASTICACHE:
                return "Databases";
            case ELB:
            case CLOUDFRONT:
                return "Networking";
            case CLOUDWATCH:
                return "Management and Governance";
            default:
                return "Other";
        }
    }

    /**
     * @param cpuUnits  CPU units ECS registers for the instance (1024 a vCPU): its vCPUs
     * @param memoryMb  memory ECS registers (MiB, less than the instance has)
     * @param memoryGib the instance's memory (GiB), the capacity split cost allocation data divides
     */
    record InstanceType(String name, BigDecimal rate, int cpuUnits, int memoryMb, int memoryGib) {
        /** @return the instance's vCPUs */
        int vcpus() {
            return cpuUnits / 1024;
        }
    }

    static final List<InstanceType> HOST_TYPES = List.of(
            new InstanceType("m5.xlarge", new BigDecimal("0.1920000000"), 4096, 15_788, 16),
            new InstanceType("c5.2xlarge", new BigDecimal("0.3400000000"), 8192, 15_434, 16),
            new InstanceType("m5.2xlarge", new BigDecimal("0.3840000000"), 8192, 31_849, 32),
            new InstanceType("r5.xlarge", new BigDecimal("0.2520000000"), 4096, 31_640, 32));

    static final List<InstanceType> OTHER_TYPES = List.of(
            new InstanceType("t3.medium", new BigDecimal("0.0416000000"), 2048, 3_943, 4),
            new InstanceType("m5.large", new BigDecimal("0.0960000000"), 2048, 7_680, 8),
            new InstanceType("c5.large", new BigDecimal("0.0850000000"), 2048, 3_790, 4),
            new InstanceType("r5.large", new BigDecimal("0.1260000000"), 2048, 15_788, 16),
            new InstanceType("t3.small", new BigDecimal("0.0208000000"), 2048, 1_949, 2));

    record VolumeType(String name, BigDecimal ratePerGbMonth, String usageType, String operation, String label) {
    }

    static final List<VolumeType> VOLUME_TYPES = List.of(
            new VolumeType("gp2", new BigDecimal("0.10"), "EBS:VolumeUsage.gp2", "CreateVolume-Gp2",
                    "General Purpose SSD (gp2) provisioned storage"),
            new VolumeType("gp3", new BigDecimal("0.08"), "EBS:VolumeUsage.gp3", "CreateVolume-Gp3",
                    "General Purpose SSD (gp3) provisioned storage"),
            new VolumeType("io1", new BigDecimal("0.125"), "EBS:VolumeUsage.piops", "CreateVolume-P-IOPS",
                    "Provisioned IOPS SSD (io1) provisioned storage"),
            new VolumeType("st1", new BigDecimal("0.045"), "EBS:VolumeUsage.st1", "CreateVolume-Throughput",
                    "Throughput Optimized HDD (st1) provisioned storage"));

    /** Split cost allocation data: the usage types of an ECS task's split line items on an EC2 instance. */
    static final String ECS_EC2_VCPU_HOURS = "USE1-ECS-EC2-vCPU-Hours";
    static final String ECS_EC2_GB_HOURS = "USE1-ECS-EC2-GB-Hours";
    /** Their operation (also that of the ECS usage rows of EC2 launch type tasks). */
    static final String ECS_TASK_EC2 = "ECSTask-EC2";

    static final BigDecimal FARGATE_VCPU_HOUR = new BigDecimal("0.04048");
    static final BigDecimal FARGATE_GB_HOUR = new BigDecimal("0.004445");
    static final BigDecimal DATA_TRANSFER_GB = new BigDecimal("0.01");

    static final String[] AREAS = {"storefront", "payments", "search", "identity", "platform", "data", "growth",
        "logistics", "mobile", "ml"};

    static final String[] CLUSTER_NAMES = {"prod", "staging", "batch", "internal", "data", "edge", "ml", "sandbox"};

    static final String[] SERVICE_NAMES = {"checkout", "cart", "catalog", "search-api", "search-indexer",
        "payments-api", "ledger", "fraud-scorer", "identity", "auth-gateway", "sessions", "recommendations", "pricing",
        "inventory", "shipping", "notifications", "email-sender", "web-frontend", "mobile-bff", "graphql-gateway",
        "image-resizer", "reporting", "etl-worker", "feature-store", "ml-serving", "analytics-collector", "audit-log",
        "webhooks", "partner-api", "admin-portal", "billing-worker", "coupons", "reviews", "wishlist", "geo",
        "translations", "cms", "media-upload", "push-gateway", "scheduler"};

    static final String[] JOB_NAMES = {"nightly-report", "invoice-export", "db-backup", "sitemap-builder",
        "cache-warmer", "data-sync", "index-rebuild", "cleanup", "churn-model", "price-import"};

    static final String[] SIDECARS = {"envoy", "log-router", "datadog-agent", "xray"};

    static final String[] ROLES = {"bastion", "jenkins", "vpn", "kafka", "zookeeper", "elasticsearch", "redis",
        "grafana", "airflow", "mongo"};

    /** Kinds of other (non-EC2-instance, non-volume) resources. */
    enum OtherKind {
        RDS_DB(Catalog.RDS, "InstanceUsage:db.r5.large", "CreateDBInstance:0002", "0.2500000000", "Hrs", false,
                "$0.25 per RDS db.r5.large instance hour (or partial hour) running MySQL"),
        S3_STORAGE(Catalog.S3, "TimedStorage-ByteHrs", "StandardStorage", "0.023", "GB-Mo", true,
                "$0.023 per GB - first 50 TB / month of storage used"),
        S3_REQUESTS(Catalog.S3, "Requests-Tier1", "PutObject", "0.000005", "Requests", false,
                "$0.005 per 1,000 PUT, COPY, POST, or LIST requests"),
        DYNAMO_TABLE(Catalog.DYNAMODB, "ReadCapacityUnit-Hrs", "CommittedThroughput", "0.00013", "ReadCapacityUnit-Hrs",
                false, "$0.00013 per hour for units of read capacity for a month"),
        CACHE_NODE(Catalog.ELASTICACHE, "NodeUsage:cache.r5.large", "CreateCacheCluster:0002", "0.216", "NodeHour",
                false, "$0.216 per Redis cache.r5.large node hour (or partial hour)"),
        NAT_GATEWAY(Catalog.EC2, "NatGateway-Hours", "NatGateway", "0.045", "Hrs", false,
                "$0.045 per NAT Gateway Hour"),
        LOAD_BALANCER(Catalog.ELB, "LoadBalancerUsage", "LoadBalancing:Application", "0.0225", "Hrs", false,
                "$0.0225 per Application LoadBalancer-hour (or partial hour)"),
        LOG_GROUP(Catalog.CLOUDWATCH, "DataProcessing-Bytes", "PutLogEvents", "0.50", "GB", false,
                "$0.50 per GB custom log data ingested"),
        LAMBDA_FUNCTION(Catalog.LAMBDA, "Lambda-GB-Second", "Invoke", "0.0000166667", "Lambda-GB-Second", false,
                "AWS Lambda - Total Compute - US East (Northern Virginia)"),
        DISTRIBUTION(Catalog.CLOUDFRONT, "US-DataTransfer-Out-Bytes", "GET", "0.085", "GB", false,
                "$0.085 per GB - first 10 TB / month data transfer out (United States)");

        final String product;
        final String usageType;
        final String operation;
        final BigDecimal rate;
        final String unit;
        final boolean daily;
        final String description;

        OtherKind(String product, String usageType, String operation, String rate, String unit, boolean daily,
                  String description) {
            this.product = product;
            this.usageType = usageType;
            this.operation = operation;
            this.rate = new BigDecimal(rate);
            this.unit = unit;
            this.daily = daily;
            this.description = description;
        }
    }
}
