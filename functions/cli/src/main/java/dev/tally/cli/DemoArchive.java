package dev.tally.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The demo's event archive: a day's events per object, JSON lines as an analytics pipeline archives them (a few
 * thousand events of a few hundred users, the same every run), half the objects gzip and half plain, in a versioned
 * bucket where two objects were written twice (the older version of one holds the demo's subject, the other's does
 * not). {@link #check} compares the bucket after a deletion with what was put: the subject in no version left, every
 * other line byte for byte where it was, gzip still gzip, objects and versions without the subject untouched.
 */
final class DemoArchive {
    static final String BUCKET = "tally-demo-events";
    static final String PREFIX = "raw/";
    static final int USERS = 300;
    static final int OBJECTS = 8;
    static final int EVENTS_PER_OBJECT = 380;
    /** Objects (by index) in which the subject has no events: the deletion must not rewrite them. */
    private static final List<Integer> WITHOUT_SUBJECT = List.of(3, 6, 7);
    /** Objects (by index) written twice; the older version of the first holds the subject. */
    private static final int OLDER_WITH_SUBJECT = 1;
    private static final int OLDER_WITHOUT_SUBJECT = 6;
    private static final String[] EVENTS = {"Page Viewed", "Signed In", "Product Viewed", "Added To Cart",
        "Order Completed", "Invite Sent"};
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One object as put: its current lines, and the lines of its older version (none if it has one version). */
    record SampleObject(String key, boolean gzip, List<String> lines, List<String> olderLines) {
        int subjectLines(String subject) {
            return (int) lines.stream().filter(line -> holds(line, subject)).count();
        }
    }

    /** What {@link #check} found; {@code problems} is empty when the deletion did exactly its job. */
    record Check(int objectsRewritten, int objectsUntouched, int olderVersionsDeleted, long otherLinesKept,
                 List<String> problems) {
    }

    final String subject;
    final List<SampleObject> objects;

    private DemoArchive(String subject, List<SampleObject> objects) {
        this.subject = subject;
        this.objects = objects;
    }

    /** The sample for {@code subject}, one of {@link #user(int)}. */
    static DemoArchive sample(String subject) {
        Random random = new Random(2026);
        List<SampleObject> objects = new ArrayList<>();
        for (int i = 0; i < OBJECTS; i++) {
            LocalDate day = LocalDate.of(2026, 11, 1 + i);
            boolean gzip = i % 2 == 0;
            String key = PREFIX + day.toString().replace('-', '/') + "/events-" + (i + 1) + (gzip ? ".jsonl.gz"
                    : ".jsonl");
            List<String> lines = day(random, day, i, EVENTS_PER_OBJECT, !WITHOUT_SUBJECT.contains(i), subject);
            List<String> older = null;
            if (i == OLDER_WITH_SUBJECT || i == OLDER_WITHOUT_SUBJECT) {
                // An earlier, partial delivery of the same day, later replaced by the whole day.
                older = new ArrayList<>(lines.subList(0, EVENTS_PER_OBJECT / 3));
                if (i == OLDER_WITH_SUBJECT && older.stream().noneMatch(line -> holds(line, subject))) {
                    older.add(event(random, day, i, older.size(), subject));
                }
            }
            objects.add(new SampleObject(key, gzip, List.copyOf(lines), older == null ? null : List.copyOf(older)));
        }
        return new DemoArchive(subject, List.copyOf(objects));
    }

    static String user(int n) {
        return "u-%04d".formatted(n);
    }

    static String email(String user) {
        return user.replace("u-", "user") + "@example.com";
    }

    long events() {
        return objects.stream().mapToLong(o -> o.lines().size()).sum();
    }

    private static List<String> day(Random random, LocalDate day, int object, int count, boolean withSubject,
                                    String subject) {
        List<String> lines = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            String user = user(1 + random.nextInt(USERS));
            if (withSubject && n % 97 == 13) {
                user = subject; // a few events of the subject's in each object that has any
            } else {
                while (user.equals(subject)) {
                    user = user(1 + random.nextInt(USERS)); // the subject's events are only the ones above
                }
            }
            lines.add(event(random, day, object, n, user));
        }
        return lines;
    }

    private static String event(Random random, LocalDate day, int object, int n, String user) {
        Instant at = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(n * 220L + random.nextInt(200));
        ObjectNode event = JSON.createObjectNode();
        event.put("messageId", "m-%d-%05d".formatted(object + 1, n));
        if (n % 10 == 0) {
            event.put("type", "identify").put("userId", user);
            event.putObject("traits").put("email", email(user)).put("plan", random.nextBoolean() ? "pro" : "free");
        } else {
            event.put("type", "track").put("userId", user).put("event", EVENTS[random.nextInt(EVENTS.length)]);
            event.putObject("properties").put("amount", random.nextInt(5000) / 100.0);
            event.putObject("context").putObject("traits").put("email", email(user));
        }
        event.put("timestamp", at.toString());
        return event.toString();
    }

    static boolean holds(String line, String subject) {
        return line.contains("\"" + subject + "\"") || line.contains(email(subject));
    }

    /** Makes the bucket versioned and puts every object (the older version first). */
    void put(S3Client s3) {
        s3.putBucketVersioning(b -> b.bucket(BUCKET)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        for (SampleObject object : objects) {
            if (object.olderLines() != null) {
                s3.putObject(b -> b.bucket(BUCKET).key(object.key()), RequestBody.fromBytes(bytes(object,
                        object.olderLines())));
            }
            s3.putObject(b -> b.bucket(BUCKET).key(object.key()), RequestBody.fromBytes(bytes(object,
                    object.lines())));
        }
    }

    /** Every version in the bucket: version id → its key, as listed before the deletion. */
    static Map<String, String> versions(S3Client s3) {
        Map<String, String> versions = new LinkedHashMap<>();
        s3.listObjectVersionsPaginator(b -> b.bucket(BUCKET).prefix(PREFIX)).versions()
                .forEach(version -> versions.put(version.versionId(), version.key()));
        return versions;
    }

    /** The bucket after the deletion against what was put; {@code before}: {@link #versions} before it. */
    Check check(S3Client s3, Map<String, String> before) {
        List<String> problems = new ArrayList<>();
        int rewritten = 0;
        int untouched = 0;
        int olderDeleted = 0;
        long kept = 0;
        List<ObjectVersion> after = new ArrayList<>();
        s3.listObjectVersionsPaginator(b -> b.bucket(BUCKET).prefix(PREFIX)).versions().forEach(after::add);
        for (ObjectVersion version : after) {
            byte[] stored = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(version.key())
                    .versionId(version.versionId())).asByteArray();
            SampleObject object = objects.stream().filter(o -> o.key().equals(version.key())).findFirst()
                    .orElseThrow();
            if (object.gzip() && !(stored.length > 1 && (stored[0] & 0xff) == 0x1f && (stored[1] & 0xff) == 0x8b)) {
                problems.add(version.key() + " is no longer gzip");
                continue;
            }
            String text = text(object, stored);
            if (holds(text, subject)) {
                problems.add(version.key() + " (version " + version.versionId() + ") still holds the subject");
            }
            if (version.isLatest()) {
                String expected = String.join("\n", object.lines().stream().filter(l -> !holds(l, subject))
                        .toList()) + "\n";
                if (!text.equals(expected)) {
                    problems.add(version.key() + ": the other users' lines are not byte for byte as they were");
                }
                kept += object.lines().size() - object.subjectLines(subject);
                boolean same = before.containsKey(version.versionId());
                if (object.subjectLines(subject) == 0) {
                    untouched += same ? 1 : 0;
                    if (!same) {
                        problems.add(version.key() + " holds no event of the subject but was rewritten");
                    }
                } else {
                    rewritten += same ? 0 : 1;
                }
            }
        }
        for (SampleObject object : objects) {
            if (object.olderLines() == null) {
                continue;
            }
            boolean held = object.olderLines().stream().anyMatch(line -> holds(line, subject));
            long versionsLeft = after.stream().filter(v -> v.key().equals(object.key()) && !v.isLatest()).count();
            if (held && versionsLeft == 0) {
                olderDeleted++;
            } else if (!held && versionsLeft == 0) {
                problems.add(object.key() + ": an older version without the subject was deleted");
            }
        }
        return new Check(rewritten, untouched, olderDeleted, kept, List.copyOf(problems));
    }

    private static byte[] bytes(SampleObject object, List<String> lines) {
        byte[] text = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        if (!object.gzip()) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String text(SampleObject object, byte[] stored) {
        if (!object.gzip()) {
            return new String(stored, StandardCharsets.UTF_8);
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(stored))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
