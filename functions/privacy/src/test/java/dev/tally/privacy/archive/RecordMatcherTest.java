package dev.tally.privacy.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.privacy.SubjectType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordMatcherTest {
    private static final RecordMatcher MATCHER = RecordMatcher.of(Map.of(
            SubjectType.USER_ID, List.of("userId"),
            SubjectType.EMAIL, List.of("traits.email", "context.traits.email")));

    private static RecordMatcher.LineMatch match(RecordMatcher matcher, SubjectIndex subjects, String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return matcher.forSubjects(subjects).match(bytes, 0, bytes.length);
    }

    private static RecordMatcher.LineMatch userLine(String line, String... ids) {
        return match(MATCHER, SubjectIndex.of(SubjectType.USER_ID, "r1", List.of(ids)), line);
    }

    private static RecordMatcher.LineMatch emailLine(String line, String... ids) {
        return match(MATCHER, SubjectIndex.of(SubjectType.EMAIL, "r1", List.of(ids)), line);
    }

    @Test
    void shouldMatchATopLevelField_andNotAnotherUsersRecord() {
        assertThat(userLine("{\"userId\":\"u-1\",\"event\":\"x\"}", "u-1").groups()).containsExactly("r1");
        assertThat(userLine("{\"userId\":\"u-2\",\"event\":\"x\"}", "u-1").kind()).isEqualTo(RecordMatcher.Kind.NO_MATCH);
    }

    @Test
    void shouldCompareUserIdsExactly() {
        assertThat(userLine("{\"userId\":\"U-1\"}", "u-1").matched()).isFalse();
        assertThat(userLine("{\"userId\":\"u-1 \"}", "u-1").matched()).isFalse();
    }

    @Test
    void shouldMatchNestedPaths_andEmailsWithoutCase() {
        assertThat(emailLine("{\"traits\":{\"email\":\"Ann@Example.COM\"}}", "ann@example.com").matched()).isTrue();
        assertThat(emailLine("{\"context\":{\"ip\":\"1.2.3.4\",\"traits\":{\"email\":\"ann@example.com\"}}}",
                "ANN@example.com").matched()).isTrue();
        assertThat(emailLine("{\"email\":\"ann@example.com\"}", "ann@example.com").matched()).isFalse();
        assertThat(emailLine("{\"context\":{\"email\":\"ann@example.com\"}}", "ann@example.com").matched()).isFalse();
    }

    @Test
    void shouldMatchANumberByItsJsonText() {
        assertThat(userLine("{\"userId\":42}", "42").matched()).isTrue();
        assertThat(userLine("{\"userId\":42.0}", "42").matched()).isFalse();
        assertThat(userLine("{\"userId\":42.0}", "42.0").matched()).isTrue();
    }

    @Test
    void shouldMatchScalarElementsOfAnArray_butNeverBooleansNullsOrObjects() {
        assertThat(userLine("{\"userId\":[\"u-0\",{\"userId\":\"u-1\"},\"u-1\"]}", "u-1").matched()).isTrue();
        assertThat(userLine("{\"userId\":[{\"id\":\"u-1\"}]}", "u-1").matched()).isFalse();
        assertThat(userLine("{\"userId\":true}", "true").matched()).isFalse();
        assertThat(userLine("{\"userId\":null}", "null").matched()).isFalse();
        assertThat(userLine("{\"userId\":{\"id\":\"u-1\"}}", "u-1").matched()).isFalse();
    }

    @Test
    void shouldDecodeJsonEscapesBeforeComparing() {
        assertThat(emailLine("{\"traits\":{\"email\":\"ann\\u0040example.com\"}}", "ann@example.com").matched()).isTrue();
    }

    @Test
    void shouldLookAtBothValuesOfARepeatedField() {
        assertThat(userLine("{\"userId\":\"u-2\",\"userId\":\"u-1\"}", "u-1").matched()).isTrue();
    }

    @Test
    void shouldNotMatchTheSameNameElsewhereInTheRecord() {
        assertThat(userLine("{\"properties\":{\"userId\":\"u-1\"},\"items\":[{\"userId\":\"u-1\"}]}", "u-1").matched())
                .isFalse();
    }

    @Test
    void shouldReportEveryGroupOfTheSubjectsOfOneRecord() {
        SubjectIndex subjects = SubjectIndex.of(SubjectType.EMAIL, Map.of(
                "r1", List.of("a@x.io"), "r2", List.of("b@x.io", "a@x.io"), "r3", List.of("c@x.io")));
        assertThat(match(MATCHER, subjects, "{\"traits\":{\"email\":\"a@x.io\"},\"context\":{\"traits\":{\"email\":\"b@x.io\"}}}")
                .groups()).isEqualTo(Set.of("r1", "r2"));
    }

    @Test
    void shouldCallLinesThatAreNotOneJsonValueUnparseable_evenWhenTheyNameTheSubject() {
        assertThat(userLine("{\"userId\":\"u-1\"", "u-1").kind()).isEqualTo(RecordMatcher.Kind.UNPARSEABLE);
        assertThat(userLine("{\"userId\":\"u-1\"} trailing", "u-1").kind()).isEqualTo(RecordMatcher.Kind.UNPARSEABLE);
        assertThat(userLine("{\"userId\":\"u-1\"}{\"userId\":\"u-1\"}", "u-1").kind()).isEqualTo(RecordMatcher.Kind.UNPARSEABLE);
        assertThat(userLine("userId=u-1", "u-1").kind()).isEqualTo(RecordMatcher.Kind.UNPARSEABLE);
        byte[] invalidUtf8 = {'{', '"', 'u', 's', 'e', 'r', 'I', 'd', '"', ':', '"', (byte) 0xff, '"', '}'};
        assertThat(MATCHER.forSubjects(SubjectIndex.of(SubjectType.USER_ID, "r1", List.of("u-1")))
                .match(invalidUtf8, 0, invalidUtf8.length).kind()).isEqualTo(RecordMatcher.Kind.UNPARSEABLE);
    }

    @Test
    void shouldTakeOtherJsonValuesAndBlankLinesAsNoMatch() {
        assertThat(userLine("[\"u-1\"]", "u-1").kind()).isEqualTo(RecordMatcher.Kind.NO_MATCH);
        assertThat(userLine("\"u-1\"", "u-1").kind()).isEqualTo(RecordMatcher.Kind.NO_MATCH);
        assertThat(userLine("  \t", "u-1").kind()).isEqualTo(RecordMatcher.Kind.BLANK);
        assertThat(userLine("", "u-1").kind()).isEqualTo(RecordMatcher.Kind.BLANK);
    }

    @Test
    void shouldOnlyLookForTheSubjectTypesOfTheIndex() {
        assertThat(userLine("{\"traits\":{\"email\":\"u-1\"}}", "u-1").matched()).isFalse();
    }

    @Test
    void shouldReadTheMatchConfig_andNameTheFieldOfAMistake() throws Exception {
        ObjectMapper json = new ObjectMapper();
        RecordMatcher matcher = RecordMatcher.fromConfig(json.readTree(
                "{\"USER_ID\": [\"userId\"], \"email\": [\"traits.email\"]}"), "match");
        assertThat(matcher.paths(SubjectType.EMAIL)).containsExactly("traits.email");
        assertThat(matcher.covers(SubjectType.USER_ID)).isTrue();

        assertThatThrownBy(() -> RecordMatcher.fromConfig(json.readTree("{\"PHONE\": [\"phone\"]}"), "match"))
                .hasMessage("match.PHONE is not a subject type");
        assertThatThrownBy(() -> RecordMatcher.fromConfig(json.readTree("{\"EMAIL\": []}"), "match"))
                .hasMessage("match.EMAIL must be a non-empty array of paths");
        assertThatThrownBy(() -> RecordMatcher.fromConfig(json.readTree("{\"EMAIL\": [\"traits..email\"]}"), "match"))
                .hasMessageStartingWith("match.EMAIL: a path is dotted field names");
        assertThatThrownBy(() -> RecordMatcher.fromConfig(null, "match")).hasMessageStartingWith("match must be");
    }
}
