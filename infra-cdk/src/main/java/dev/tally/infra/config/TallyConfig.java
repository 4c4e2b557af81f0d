package dev.tally.infra.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The deployment's settings, from one JSON file ({@code config/example.json} shows every key). Each concern has a
 * section record of its own that reads and checks its keys ({@link HistorySection}, {@link BillingSection},
 * {@link PrivacySection}, {@link MonitoringSection}); a new
 * concern adds its section here and its key to {@link #KEYS}.
 *
 * @param environment      {@code environment.account}, {@code environment.region}: where the stacks go
 * @param tagKey           the cost-allocation tag naming a product area, on every resource and read from the bill
 * @param ownerArea        the product area that owns Tally itself: the tag value of resources no service claims
 * @param areasFile        the service → product area file published to the history table ({@code areasFile}, relative
 *                         to the config file)
 * @param logRetentionDays how long the functions' logs are kept (a CloudWatch Logs retention period)
 * @param alarmEmail       who alarms go to
 * @param stagingAccounts  accounts whose ECS/EC2 events are forwarded to this one (may be empty)
 * @param monitoring       the alarms' thresholds (defaults when the section is absent)
 */
public record TallyConfig(DeployEnvironment environment, String tagKey, String ownerArea, Path areasFile,
                          int logRetentionDays, String alarmEmail, HistorySection history, BillingSection billing,
                          PrivacySection privacy, List<String> stagingAccounts, MonitoringSection monitoring) {
    static final Set<String> KEYS = Set.of("environment", "tagKey", "ownerArea", "areasFile", "logRetentionDays",
            "alarmEmail", "history", "billing", "privacy", "stagingAccounts", "monitoring");
    /** The retention periods CloudWatch Logs accepts, in days. */
    public static final Set<Integer> LOG_RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
            731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);
    static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{N}_.:/=+\\-@]{1,128}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the stacks are deployed. */
    public record DeployEnvironment(String account, String region) {
        private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

        static DeployEnvironment read(ConfigReader in) {
            in.only(Set.of("account", "region"));
            return new DeployEnvironment(in.matching("account", ACCOUNT, "a 12-digit account id"),
                    in.matching("region", REGION, "a region such as eu-west-1"));
        }
    }

    /** Reads and checks a config file. @throws ConfigException naming every key that is missing or wrong */
    public static TallyConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot be read (" + e.getMessage() + ")"));
        }
        return parse(text, file.toString(), file.toAbsolutePath().getParent());
    }

    /** @param baseDir what a relative {@code areasFile} is relative to */
    public static TallyConfig parse(String json, String source, Path baseDir) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, List.of("not valid JSON (line " + e.getLocation().getLineNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(source, List.of("must be a JSON object"));
        }
        List<String> problems = new ArrayList<>();
        ConfigReader in = new ConfigReader(root, "", problems);
        in.only(KEYS);
        DeployEnvironment environment = DeployEnvironment.read(in.section("environment"));
        String tagKey = in.string("tagKey");
        if (!tagKey.isEmpty() && (!TAG_KEY.matcher(tagKey).matches() || tagKey.startsWith("aws:"))) {
            in.problem("tagKey", "must be a tag key (letters, digits, _ . : / = + - @, not aws:), was '" + tagKey + "'");
        }
        String ownerArea = in.string("ownerArea");
        String areas = in.string("areasFile");
        int logRetention = in.positiveInt("logRetentionDays", 90);
        if (!LOG_RETENTION_DAYS.contains(logRetention)) {
            in.problem("logRetentionDays", "must be a CloudWatch Logs retention period "
                    + LOG_RETENTION_DAYS.stream().sorted().toList() + ", was " + logRetention);
        }
        String alarmEmail = in.matching("alarmEmail", EMAIL, "an email address");
        HistorySection history = HistorySection.read(in.section("history"));
        BillingSection billing = BillingSection.read(in.section("billing"), environment);
        PrivacySection privacy = PrivacySection.read(in.section("privacy"), baseDir, billing.warehouse().enabled());
        List<String> staging = in.strings("stagingAccounts", ACCOUNT, "a 12-digit account id", List.of());
        if (staging.contains(environment.account())) {
            in.problem("stagingAccounts", "must not contain the deployment's own account " + environment.account());
        }
        MonitoringSection monitoring = MonitoringSection.read(in.section("monitoring"));
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return new TallyConfig(environment, tagKey, ownerArea, baseDir.resolve(areas).normalize(), logRetention,
                alarmEmail, history, billing, privacy, staging, monitoring);
    }
}
