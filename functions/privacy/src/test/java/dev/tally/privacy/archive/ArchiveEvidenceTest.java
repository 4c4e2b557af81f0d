package dev.tally.privacy.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.privacy.RequestType;
import dev.tally.privacy.SubjectType;
import dev.tally.privacy.Target;
import dev.tally.privacy.TargetKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The addable evidence, slices and the target's settings. */
class ArchiveEvidenceTest {

    @Test
    void shouldAddTheEvidenceOfTwoSlicesPerRequest() {
        Map<String, Map<String, Object>> first = Map.of(
                "r1", new ArchiveEvidence(10, 1000, 0, 2, 5, 1, 0).toMap(),
                "r2", new ArchiveEvidence(10, 1000, 0, 0, 0, 0, 0).toMap());
        Map<String, Map<String, Object>> second = Map.of("r1", new ArchiveEvidence(4, 400, 2, 1, 1, 2, 3).toMap());

        Map<String, Map<String, Object>> sum = ArchiveEvidence.add(first, second);

        assertThat(ArchiveEvidence.fromMap(sum.get("r1"))).isEqualTo(new ArchiveEvidence(14, 1400, 2, 3, 6, 3, 3));
        assertThat(ArchiveEvidence.fromMap(sum.get("r2"))).isEqualTo(new ArchiveEvidence(10, 1000, 0, 0, 0, 0, 0));
        assertThat(sum.get("r1")).containsKeys("objects_scanned", "bytes_scanned", "objects_rewritten",
                "records_removed", "versions_deleted");
    }

    @Test
    void shouldOrderKeysAsS3Does() {
        assertThat(ArchiveSlice.compareKeys("a\uE000", "a\uD83D\uDE00")).isNegative(); // Java's compareTo says the opposite
        ArchiveSlice.Range range = (ArchiveSlice.Range) ArchiveSlice.range("raw/", "raw/b", "raw/d");
        assertThat(range.contains("raw/b")).isFalse();
        assertThat(range.contains("raw/c/1")).isTrue();
        assertThat(range.contains("raw/d")).isFalse();
        assertThat(range.isPast("raw/d")).isTrue();
        assertThat(((ArchiveSlice.Keys) ArchiveSlice.keys(List.of("a", "b", "a"))).keys()).containsExactly("a", "b");
    }

    @Test
    void shouldReadAnArchiveTarget_droppingNestedPrefixes() throws Exception {
        Target target = new Target("archive", TargetKind.S3_ARCHIVE, Set.of(RequestType.DELETE), new ObjectMapper().readTree(
                "{\"bucket\":\"events\",\"prefixes\":[\"raw/2024/\",\"raw/\",\"other/\"],\"match\":{\"USER_ID\":[\"userId\"]}}"));

        ArchiveTarget archive = ArchiveTarget.from(target);

        assertThat(archive.bucket()).isEqualTo("events");
        assertThat(archive.prefixes()).containsExactly("other/", "raw/");
        assertThat(archive.matcher().covers(SubjectType.USER_ID)).isTrue();
        assertThat(archive.covers("raw/2024/a.gz")).isTrue();
        assertThat(archive.covers("elsewhere/a.gz")).isFalse();
    }

    @Test
    void shouldNameTheFieldOfABadArchiveTarget() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThatThrownBy(() -> ArchiveTarget.from(new Target("a", TargetKind.S3_ARCHIVE, Set.of(),
                json.readTree("{\"prefixes\":[\"raw/\"],\"match\":{\"USER_ID\":[\"userId\"]}}"))))
                .hasMessage("target a: bucket must be a non-empty string");
        assertThatThrownBy(() -> ArchiveTarget.from(new Target("a", TargetKind.S3_ARCHIVE, Set.of(),
                json.readTree("{\"bucket\":\"b\",\"prefixes\":[],\"match\":{\"USER_ID\":[\"userId\"]}}"))))
                .hasMessage("target a: prefixes must be a non-empty array of strings");
        assertThatThrownBy(() -> ArchiveTarget.from(new Target("a", TargetKind.S3_ARCHIVE, Set.of(),
                json.readTree("{\"bucket\":\"b\",\"prefixes\":[\"raw/\"]}"))))
                .hasMessageStartingWith("target a: match must be");
    }
}
