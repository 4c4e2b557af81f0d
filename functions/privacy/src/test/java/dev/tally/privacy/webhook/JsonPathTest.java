package dev.tally.privacy.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonPathTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void shouldReadMembersAndIndexes() throws Exception {
        JsonNode answer = json("{\"a\": {\"b\": [{\"c\": \"x\"}, {\"c\": 42}]}, \"odd name\": {\"s\": true}}");

        assertThat(JsonPath.parse("$.a.b[0].c").readText(answer)).contains("x");
        assertThat(JsonPath.parse("$.a.b[1].c").readText(answer)).contains("42");
        assertThat(JsonPath.parse("$['odd name'].s").readText(answer)).contains("true");
        assertThat(JsonPath.parse("$").read(answer)).contains(answer);
    }

    @Test
    void shouldBeEmpty_forMissingNullAndNonScalarValues() throws Exception {
        JsonNode answer = json("{\"a\": {\"b\": null, \"list\": [1]}}");

        assertThat(JsonPath.parse("$.a.b").readText(answer)).isEmpty();
        assertThat(JsonPath.parse("$.a.nope.deeper").readText(answer)).isEmpty();
        assertThat(JsonPath.parse("$.a.list[3]").readText(answer)).isEmpty();
        assertThat(JsonPath.parse("$.a[0]").readText(answer)).isEmpty();
        assertThat(JsonPath.parse("$.a.list").readText(answer)).isEmpty();
    }

    @Test
    void shouldRefuseWhatItDoesNotRead() {
        assertThatThrownBy(() -> JsonPath.parse("a.b")).hasMessageContaining("starts with '$'");
        assertThatThrownBy(() -> JsonPath.parse("$..a")).hasMessageContaining("empty member name");
        assertThatThrownBy(() -> JsonPath.parse("$.a[*]")).hasMessageContaining("index or a quoted name");
        assertThatThrownBy(() -> JsonPath.parse("$.a[0")).hasMessageContaining("without ']'");
    }
}
