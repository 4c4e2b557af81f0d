package dev.tally.functions.privacy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tally.privacy.InMemoryPrivacyStore;
import dev.tally.privacy.NewRequest;
import dev.tally.privacy.PrivacyConfig;
import dev.tally.privacy.PrivacyFixtures;
import dev.tally.privacy.PrivacyRequests;
import dev.tally.privacy.Regulation;
import dev.tally.privacy.RequestType;
import dev.tally.privacy.SubjectType;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PrivacySweepHandlerTest {
    private static final Path SAMPLE = Path.of(System.getProperty("tally.repo.root", "../.."),
            "events/functions/privacy-sweep/scheduled-event.json");

    @Test
    void shouldPublishOverdueRequests_whenRunBySchedule() throws Exception {
        PrivacyFixtures.MutableClock clock = new PrivacyFixtures.MutableClock(Instant.parse("2026-10-01T00:00:00Z"));
        PrivacyRequests requests = new PrivacyRequests(new InMemoryPrivacyStore(),
                new PrivacyFixtures.RecordingCodeSender(), new PrivacyFixtures.RecordingQueue(), PrivacyFixtures.keys(),
                PrivacyConfig.defaults(), PrivacyRequests.Settings.DEFAULT, clock, new SecureRandom());
        requests.create(PrivacyFixtures.ADMIN, new NewRequest(RequestType.DELETE, SubjectType.USER_ID, List.of("u-1"),
                Optional.empty(), Regulation.GDPR, Optional.empty()), Optional.empty());
        requests.create(PrivacyFixtures.ADMIN, new NewRequest(RequestType.DELETE, SubjectType.USER_ID, List.of("u-2"),
                Optional.empty(), Regulation.CCPA, Optional.empty()), Optional.empty());
        clock.advance(Duration.ofDays(31));
        List<Map<String, Long>> published = new ArrayList<>();
        Map<String, Object> event = RequestJson.JSON.readValue(Files.readString(SAMPLE), new TypeReference<>() { });

        Map<String, Integer> answer = new PrivacySweepHandler(requests, published::add).handleRequest(event, null);

        assertThat(answer).containsEntry("open", 2).containsEntry("overdue", 1);
        assertThat(published).singleElement().satisfies(counts -> assertThat(counts)
                .containsEntry("OverdueRequests", 1L).containsEntry("OpenRequests", 2L));
    }
}
