package dev.tally.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.SplittableRandom;

/** Builds EventBridge events (one JSON object, one line) in the shapes of the samples in aws-samples/. */
final class EventJson {
    enum Stage { PROVISIONING, PENDING, RUNNING, STOPPING, DEPROVISIONING, STOPPED }

    private final ObjectMapper mapper = new ObjectMapper();

    String write(ObjectNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    ObjectNode envelope(SplittableRandom r, String detailType, String source, String account, long time,
                        String... resources) {
        ObjectNode n = mapper.createObjectNode();
        n.put("version", "0");
        n.put("id", Ids.uuid(r));
        n.put("detail-type", detailType);
        n.put("source", source);
        n.put("account", account);
        n.put("time", Times.isoSeconds(time));
        n.put("region", Catalog.REGION);
        ArrayNode res = n.putArray("resources");
        for (String s : resources) {
            res.add(s);
        }
        return n;
    }

    // ---------------------------------------------------------------- ECS task

    String task(SplittableRandom r, Model.Task t, Stage stage, int version, long time) {
        Model.Service s = t.service;
        String account = s.cluster.account.id;
        ObjectNode n = envelope(r, "ECS Task State Change", "aws.ecs", account, time, t.arn);
        ObjectNode d = n.putObject("detail");
        boolean stoppingOrLater = stage == Stage.STOPPING || stage == Stage.DEPROVISIONING || stage == Stage.STOPPED;
        boolean runningOrLater = stage == Stage.RUNNING || stoppingOrLater;
        boolean started = runningOrLater && t.started >= 0;
        if (s.fargate) {
            ArrayNode att = d.putArray("attachments");
            ObjectNode eni = att.addObject();
            eni.put("id", t.attachmentId);
            eni.put("type", "eni");
            eni.put("status", stage == Stage.PROVISIONING ? "PRECREATED" : stage == Stage.STOPPED ? "DELETED"
                    : stage == Stage.DEPROVISIONING ? "DELETING" : "ATTACHED");
            ArrayNode det = eni.putArray("details");
            det.addObject().put("name", "subnetId").put("value", "subnet-" + t.eni.substring(4, 12));
            det.addObject().put("name", "networkInterfaceId").put("value", t.eni);
            det.addObject().put("name", "macAddress").put("value", t.mac);
            det.addObject().put("name", "privateIPv4Address").put("value", t.ip);
        }
        d.put("availabilityZone", t.az);
        d.put("clusterArn", s.cluster.arn);
        if (t.host != null) {
            d.put("containerInstanceArn", t.host.containerInstanceArn);
        }
        ArrayNode cs = d.putArray("containers");
        for (int i = 0; i < s.containers.length; i++) {
            ObjectNode c = cs.addObject();
            c.put("containerArn", t.containerArns[i]);
            String cStatus = stage == Stage.STOPPED ? "STOPPED" : started ? "RUNNING" : "PENDING";
            c.put("lastStatus", cStatus);
            c.put("name", s.containers[i]);
            c.put("image", account + ".dkr.ecr." + Catalog.REGION + ".amazonaws.com/" + s.containers[i] + ":"
                    + (i == 0 ? "r" + t.revision : "stable"));
            if (stage == Stage.STOPPED && t.exitCode != null && started) {
                c.put("exitCode", i == 0 ? t.exitCode : 0);
            }
            c.put("taskArn", t.arn);
            if (s.fargate) {
                c.putArray("networkInterfaces").addObject().put("attachmentId", t.attachmentId)
                        .put("privateIpv4Address", t.ip);
            }
            switch (s.cpuMode) {
                case TASK:
                    c.put("cpu", "0");
                    break;
                case ZERO_TASK:
                case CONTAINERS_ONLY:
                    c.put("cpu", Integer.toString(s.containerCpu[i]));
                    break;
                default:
                    break;
            }
        }
        d.put("createdAt", Times.isoMs(t.created));
        d.put("launchType", s.fargate ? "FARGATE" : "EC2");
        switch (s.cpuMode) {
            case TASK:
                d.put("cpu", Integer.toString(s.cpu));
                break;
            case ZERO_TASK:
                d.put("cpu", "0");
                break;
            default:
                break;
        }
        d.put("memory", Integer.toString(s.memory));
        d.put("desiredStatus", stoppingOrLater ? "STOPPED" : "RUNNING");
        d.put("group", s.group());
        d.put("lastStatus", stage == Stage.STOPPING ? "RUNNING" : stage.name());
        ObjectNode ov = d.putObject("overrides");
        ArrayNode co = ov.putArray("containerOverrides");
        for (String c : s.containers) {
            co.addObject().put("name", c);
        }
        if (s.fargate && stage != Stage.PROVISIONING) {
            d.put("connectivity", "CONNECTED");
            d.put("connectivityAt", Times.isoMs(t.created + 3_700));
        }
        if (runningOrLater && t.pullStarted >= 0) {
            d.put("pullStartedAt", Times.isoMs(t.pullStarted));
            d.put("pullStoppedAt", Times.isoMs(t.pullStopped));
        }
        if (started) {
            d.put("startedAt", Times.isoMs(t.started));
        }
        d.put("startedBy", s.startedBy);
        if (stoppingOrLater) {
            d.put("stopCode", t.stopCode);
            if (t.stopping >= 0) {
                d.put("stoppingAt", Times.isoMs(t.stopping));
            }
            d.put("stoppedReason", t.stoppedReason);
        }
        if (stage == Stage.STOPPED) {
            d.put("executionStoppedAt", Times.isoMs(t.stopped - 150));
            d.put("stoppedAt", Times.isoMs(t.stopped));
        }
        d.put("updatedAt", Times.isoMs(time));
        d.put("taskArn", t.arn);
        d.put("taskDefinitionArn", "arn:aws:ecs:" + Catalog.REGION + ":" + account + ":task-definition/" + s.name + ":"
                + t.revision);
        d.put("version", version);
        if (s.fargate) {
            d.put("platformVersion", "1.4.0");
            d.put("platformFamily", "Linux");
        }
        return write(n);
    }

    // ------------------------------------------------------- container instance

    String containerInstance(SplittableRandom r, Model.Instance h, String status, int version, long time) {
        ObjectNode n = envelope(r, "ECS Container Instance State Change", "aws.ecs", h.account.id, time,
                h.containerInstanceArn);
        ObjectNode d = n.putObject("detail");
        d.put("agentConnected", true);
        ArrayNode attrs = d.putArray("attributes");
        attrs.addObject().put("name", "ecs.os-type").put("value", "linux");
        attrs.addObject().put("name", "ecs.instance-type").put("value", h.type.name());
        attrs.addObject().put("name", "ecs.availability-zone").put("value", h.az);
        attrs.addObject().put("name", "com.amazonaws.ecs.capability.docker-remote-api.1.17");
        attrs.addObject().put("name", "com.amazonaws.ecs.capability.task-iam-role");
        d.put("clusterArn", h.cluster.arn);
        d.put("containerInstanceArn", h.containerInstanceArn);
        d.put("ec2InstanceId", h.id);
        resources(d.putArray("registeredResources"), h.type.cpuUnits(), h.type.memoryMb());
        int usedCpu = Math.min(h.type.cpuUnits(), h.activeTasks * 512);
        resources(d.putArray("remainingResources"), h.type.cpuUnits() - usedCpu,
                Math.max(0, h.type.memoryMb() - h.activeTasks * 1024));
        d.put("status", status);
        d.put("version", version);
        ObjectNode vi = d.putObject("versionInfo");
        vi.put("agentHash", "4023248");
        vi.put("agentVersion", "1.51.0");
        vi.put("dockerVersion", "DockerVersion: 19.03.13-ce");
        d.put("updatedAt", Times.isoMs(time));
        return write(n);
    }

    private static void resources(ArrayNode a, int cpu, int mem) {
        a.addObject().put("name", "CPU").put("type", "INTEGER").put("integerValue", cpu);
        a.addObject().put("name", "MEMORY").put("type", "INTEGER").put("integerValue", mem);
        ObjectNode ports = a.addObject().put("name", "PORTS").put("type", "STRINGSET");
        ArrayNode p = ports.putArray("stringSetValue");
        for (String s : new String[] {"22", "2376", "2375", "51678", "51679"}) {
            p.add(s);
        }
        a.addObject().put("name", "PORTS_UDP").put("type", "STRINGSET").putArray("stringSetValue");
    }

    // ------------------------------------------------------------- CloudTrail

    private ObjectNode cloudTrail(SplittableRandom r, String account, String eventName, long eventTime,
                                  String principal) {
        ObjectNode n = envelope(r, "AWS API Call via CloudTrail", "aws.ec2", account, eventTime);
        ObjectNode d = n.putObject("detail");
        d.put("eventVersion", "1.08");
        ObjectNode ui = d.putObject("userIdentity");
        ui.put("type", "AssumedRole");
        ui.put("principalId", "AROA" + Ids.hex(r, 12).toUpperCase(java.util.Locale.ROOT) + ":" + principal);
        ui.put("arn", "arn:aws:sts::" + account + ":assumed-role/ebs-automation/" + principal);
        ui.put("accountId", account);
        ui.put("accessKeyId", "ASIA" + Ids.hex(r, 16).toUpperCase(java.util.Locale.ROOT));
        ObjectNode sc = ui.putObject("sessionContext");
        ObjectNode si = sc.putObject("sessionIssuer");
        si.put("type", "Role");
        si.put("arn", "arn:aws:iam::" + account + ":role/ebs-automation");
        si.put("accountId", account);
        si.put("userName", "ebs-automation");
        sc.putObject("webIdFederationData");
        ObjectNode at = sc.putObject("attributes");
        at.put("creationDate", Times.isoSeconds(eventTime - 40 * Times.MINUTE));
        at.put("mfaAuthenticated", "false");
        d.put("eventTime", Times.isoSeconds(eventTime));
        d.put("eventSource", "ec2.amazonaws.com");
        d.put("eventName", eventName);
        d.put("awsRegion", Catalog.REGION);
        d.put("sourceIPAddress", "10.0." + r.nextInt(256) + "." + r.nextInt(256));
        d.put("userAgent", "aws-sdk-go/1.44.122 (go1.19.3; linux; amd64)");
        return n;
    }

    private static void trailer(SplittableRandom r, ObjectNode d, String account, String requestId) {
        d.put("requestID", requestId);
        d.put("eventID", Ids.uuid(r));
        d.put("readOnly", false);
        d.put("eventType", "AwsApiCall");
        d.put("managementEvent", true);
        d.put("recipientAccountId", account);
        d.put("eventCategory", "Management");
    }

    /**
     * AttachVolume. {@code attachTime} &lt; 0 leaves it out of responseElements (the history then uses
     * eventTime); a non-null {@code errorCode} makes it a failed call without responseElements.
     */
    String attachVolume(SplittableRandom r, Model.Volume v, Model.Instance i, String device, long eventTime,
                        long attachTime, String errorCode, String errorMessage) {
        ObjectNode n = cloudTrail(r, v.account.id, "AttachVolume", eventTime, i.id);
        ObjectNode d = (ObjectNode) n.get("detail");
        if (errorCode != null) {
            d.put("errorCode", errorCode);
            d.put("errorMessage", errorMessage);
        }
        ObjectNode rq = d.putObject("requestParameters");
        rq.put("volumeId", v.id);
        rq.put("instanceId", i.id);
        rq.put("device", device);
        rq.put("deleteOnTermination", false);
        String requestId = Ids.uuid(r);
        if (errorCode == null) {
            ObjectNode rs = d.putObject("responseElements");
            rs.put("requestId", requestId);
            rs.put("volumeId", v.id);
            rs.put("instanceId", i.id);
            rs.put("device", device);
            rs.put("status", "attaching");
            if (attachTime >= 0) {
                rs.put("attachTime", attachTime);
            }
            rs.put("deleteOnTermination", false);
        } else {
            d.putNull("responseElements");
        }
        trailer(r, d, v.account.id, requestId);
        return write(n);
    }

    String detachVolume(SplittableRandom r, Model.Volume v, Model.Instance i, String device, long eventTime,
                        long attachTime, String errorCode, String errorMessage) {
        ObjectNode n = cloudTrail(r, v.account.id, "DetachVolume", eventTime, i.id);
        ObjectNode d = (ObjectNode) n.get("detail");
        if (errorCode != null) {
            d.put("errorCode", errorCode);
            d.put("errorMessage", errorMessage);
        }
        ObjectNode rq = d.putObject("requestParameters");
        rq.put("volumeId", v.id);
        rq.put("instanceId", i.id);
        rq.put("force", false);
        String requestId = Ids.uuid(r);
        if (errorCode == null) {
            ObjectNode rs = d.putObject("responseElements");
            rs.put("requestId", requestId);
            rs.put("volumeId", v.id);
            rs.put("instanceId", i.id);
            rs.put("device", device);
            rs.put("status", "detaching");
            rs.put("attachTime", attachTime);
        } else {
            d.putNull("responseElements");
        }
        trailer(r, d, v.account.id, requestId);
        return write(n);
    }

    // -------------------------------------------------------------- EC2 state

    String instanceState(SplittableRandom r, Model.Instance i, String state, long time) {
        ObjectNode n = envelope(r, "EC2 Instance State-change Notification", "aws.ec2", i.account.id, time,
                "arn:aws:ec2:" + Catalog.REGION + ":" + i.account.id + ":instance/" + i.id);
        ObjectNode d = n.putObject("detail");
        d.put("instance-id", i.id);
        d.put("state", state);
        return write(n);
    }

    // ------------------------------------------------------------------ noise

    String noise(SplittableRandom r, long time, Model.Instance someInstance, Model.Volume someVolume,
                 Model.Service someService) {
        int kind = r.nextInt(8);
        String acct = someInstance.account.id;
        switch (kind) {
            case 0: {
                ObjectNode n = envelope(r, "ECS Deployment State Change", "aws.ecs", someService.cluster.account.id,
                        time, "arn:aws:ecs:" + Catalog.REGION + ":" + someService.cluster.account.id + ":service/"
                                + someService.cluster.name + "/" + someService.name);
                ObjectNode d = n.putObject("detail");
                d.put("eventType", "INFO");
                d.put("eventName", "SERVICE_DEPLOYMENT_COMPLETED");
                d.put("deploymentId", "ecs-svc/" + Ids.digits(r, 19));
                d.put("updatedAt", Times.isoMs(time));
                d.put("reason", "ECS deployment deploymentID completed.");
                return write(n);
            }
            case 1: {
                ObjectNode n = envelope(r, "ECS Service Action", "aws.ecs", someService.cluster.account.id, time,
                        "arn:aws:ecs:" + Catalog.REGION + ":" + someService.cluster.account.id + ":service/"
                                + someService.cluster.name + "/" + someService.name);
                ObjectNode d = n.putObject("detail");
                d.put("eventType", "INFO");
                d.put("eventName", "SERVICE_STEADY_STATE");
                d.put("clusterArn", someService.cluster.arn);
                d.put("createdAt", Times.isoMs(time));
                return write(n);
            }
            case 2: {
                ObjectNode n = envelope(r, "EBS Volume Notification", "aws.ec2", someVolume.account.id, time,
                        "arn:aws:ec2:" + Catalog.REGION + ":" + someVolume.account.id + ":volume/" + someVolume.id);
                ObjectNode d = n.putObject("detail");
                d.put("result", "available");
                d.put("cause", "");
                d.put("event", "modifyVolume");
                d.put("request-id", Ids.uuid(r));
                return write(n);
            }
            case 3: {
                ObjectNode n = cloudTrail(r, acct, "CreateTags", time, "terraform");
                ObjectNode d = (ObjectNode) n.get("detail");
                ObjectNode rq = d.putObject("requestParameters");
                rq.putObject("resourcesSet").putArray("items").addObject().put("resourceId", someInstance.id);
                rq.putObject("tagSet").putArray("items").addObject().put("key", "Owner").put("value", "ops");
                ObjectNode rs = d.putObject("responseElements");
                String req = Ids.uuid(r);
                rs.put("requestId", req);
                rs.put("_return", true);
                trailer(r, d, acct, req);
                return write(n);
            }
            case 4: {
                ObjectNode n = cloudTrail(r, someVolume.account.id, "CreateSnapshot", time, "backup");
                ObjectNode d = (ObjectNode) n.get("detail");
                d.putObject("requestParameters").put("volumeId", someVolume.id).put("description", "nightly");
                ObjectNode rs = d.putObject("responseElements");
                String req = Ids.uuid(r);
                rs.put("requestId", req);
                rs.put("snapshotId", "snap-0" + Ids.hex(r, 16));
                rs.put("volumeId", someVolume.id);
                rs.put("status", "pending");
                rs.put("startTime", time);
                trailer(r, d, someVolume.account.id, req);
                return write(n);
            }
            case 5: {
                ObjectNode n = envelope(r, "Scheduled Event", "aws.events", acct, time,
                        "arn:aws:events:" + Catalog.REGION + ":" + acct + ":rule/nightly-report");
                n.putObject("detail");
                return write(n);
            }
            case 6: {
                ObjectNode n = envelope(r, "Object Created", "aws.s3", acct, time, "arn:aws:s3:::acme-uploads");
                ObjectNode d = n.putObject("detail");
                d.put("version", "0");
                d.putObject("bucket").put("name", "acme-uploads");
                d.putObject("object").put("key", "incoming/" + Ids.hex(r, 12) + ".json").put("size", 1000 + r.nextInt(90000))
                        .put("etag", Ids.hex(r, 32)).put("sequencer", Ids.hex(r, 18).toUpperCase(java.util.Locale.ROOT));
                d.put("request-id", Ids.hex(r, 16).toUpperCase(java.util.Locale.ROOT));
                d.put("requester", acct);
                d.put("source-ip-address", "10.0.0." + r.nextInt(256));
                d.put("reason", "PutObject");
                return write(n);
            }
            default:
                return instanceState(r, someInstance, r.nextBoolean() ? "running" : "stopping", time);
        }
    }
}
