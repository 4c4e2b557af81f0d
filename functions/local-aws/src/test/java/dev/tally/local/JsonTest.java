package dev.tally.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The emulator's small JSON codec. */
class JsonTest {

    @Test
    void shouldParseWhatTheSdkSends() {
        Object parsed = Json.parse(" {\"Sql\":\"SELECT '\\u00e9\\n\\\"x\\\"'\",\"Parameters\":[{\"name\":\"a\","
                + "\"value\":\"1\"}],\"WaitTimeSeconds\":10,\"Ratio\":-1.5e2,\"WithEvent\":false,\"X\":null} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("Sql", "SELECT 'é\n\"x\"'");
        expected.put("Parameters", List.of(Map.of("name", "a", "value", "1")));
        expected.put("WaitTimeSeconds", 10L);
        expected.put("Ratio", new BigDecimal("-1.5e2"));
        expected.put("WithEvent", false);
        expected.put("X", null);
        assertThat(parsed).isEqualTo(expected);
        assertThat(Json.parse("[]")).isEqualTo(List.of());
        assertThat(Json.parse("123456789012345678901234")).isEqualTo(new BigDecimal("123456789012345678901234"));
    }

    @Test
    void shouldRefuseWhatIsNotJson() {
        for (String bad : List.of("", "{", "{\"a\" 1}", "[1,]", "tru", "\"open", "{} x", "{\"a\":01x}")) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(Json.ParseException.class);
        }
    }

    @Test
    void shouldWriteAnswersLeavingOutNullMembers() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Id", "a\"b\\c\u0001");
        answer.put("Error", null);
        answer.put("CreatedAt", BigDecimal.valueOf(1718000000123L, 3));
        answer.put("Records", List.of(List.of(Map.of("longValue", 42L), Map.of("doubleValue", 0.5),
                Map.of("blobValue", new byte[] {1, 2, 3}))));
        answer.put("Flags", Arrays.asList(true, null));
        assertThat(Json.write(answer)).isEqualTo("{\"Id\":\"a\\\"b\\\\c\\u0001\",\"CreatedAt\":1718000000.123,"
                + "\"Records\":[[{\"longValue\":42},{\"doubleValue\":0.5},{\"blobValue\":\"AQID\"}]],"
                + "\"Flags\":[true,null]}");
        assertThat(Json.parse(Json.write(Map.of("s", "π \t\r\n\u2028")))).isEqualTo(Map.of("s", "π \t\r\n\u2028"));
    }
}
