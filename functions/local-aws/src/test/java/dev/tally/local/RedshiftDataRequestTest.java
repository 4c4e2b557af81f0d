package dev.tally.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Data API's request checks and result pages without PostgreSQL: what the AWS SDK never sends (wrong JSON types,
 * bad ids, foreign NextTokens) and so {@link RedshiftDataIT} cannot reach.
 */
class RedshiftDataRequestTest {
    private static final String ID = "0f2c1d3e-aaaa-bbbb-cccc-0123456789ab";

    private static RedshiftDataRequest request(String json) {
        return RedshiftDataRequest.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertError(Runnable call, String type, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(RedshiftDataApiError.class, e -> {
            assertThat(e.type).isEqualTo(type);
            assertThat(e.status).isEqualTo(400);
            assertThat(e).hasMessageContaining(message);
        });
    }

    @Test
    void shouldTakeAnEmptyBodyAsAnEmptyObject_andRefuseABodyThatIsNoObject() {
        assertThat(request("").string("Sql")).isNull();
        assertError(() -> request("[1]"), "SerializationException", "the request body is not a JSON object");
        assertError(() -> request("{"), "SerializationException", "the request body is not JSON");
    }

    @Test
    void shouldAnswerAWrongJsonTypeWithSerializationException_andAMissingMemberWithValidationException() {
        assertError(() -> request("{\"Sql\": 1}").string("Sql"), "SerializationException", "Sql must be a string");
        assertError(() -> request("{}").required("Sql"), "ValidationException",
                "Value null at 'sql' failed to satisfy constraint: Member must not be null");
        assertError(() -> request("{\"WithEvent\": \"yes\"}").bool("WithEvent"), "SerializationException",
                "WithEvent must be a boolean");
        assertThat(request("{}").waitSeconds()).isZero();
        assertThat(request("{\"WaitTimeSeconds\": 30}").waitSeconds()).isEqualTo(30);
        assertError(() -> request("{\"WaitTimeSeconds\": 31}").waitSeconds(), "ValidationException",
                "WaitTimeSeconds must be between 0 and 30, not 31");
    }

    @Test
    void shouldTakeStatementAndSubStatementIds_only() {
        assertThat(request("{\"Id\": \"" + ID + "\"}").id()).isEqualTo(ID);
        assertThat(request("{\"Id\": \"" + ID + ":12\"}").id()).isEqualTo(ID + ":12");
        assertError(() -> request("{\"Id\": \"nope\"}").id(), "ValidationException",
                "Value 'nope' at 'id' failed to satisfy constraint");
    }

    @Test
    void shouldReadParametersInOrder_refusingDuplicatesAndBadNames() {
        assertThat(request("{}").parameters()).isEmpty();
        assertThat(request("{\"Parameters\": [{\"name\": \"b\", \"value\": \"2\"},"
                + " {\"name\": \"a\", \"value\": \"1\"}]}").parameters())
                .containsExactly(Map.entry("b", "2"), Map.entry("a", "1"));
        assertError(() -> request("{\"Parameters\": []}").parameters(), "ValidationException",
                "Parameters must have at least 1 member when given");
        assertError(() -> request("{\"Parameters\": [{\"name\": \"a\", \"value\": \"1\"},"
                + " {\"name\": \"a\", \"value\": \"2\"}]}").parameters(), "ValidationException",
                "parameter 'a' is given twice");
        assertError(() -> request("{\"Parameters\": [{\"name\": \"a-b\", \"value\": \"1\"}]}").parameters(),
                "ValidationException", "parameter name 'a-b' must match [0-9a-zA-Z_]+");
        assertError(() -> request("{\"Parameters\": {}}").parameters(), "SerializationException",
                "Parameters must be a list of {name, value}");
    }

    @Test
    void shouldPageAResultByNextToken_andRefuseAnotherStatementsToken() {
        List<Object[]> rows = new ArrayList<>();
        for (long i = 0; i < RedshiftDataResult.PAGE_ROWS + 5; i++) {
            rows.add(new Object[] {i, null});
        }
        RedshiftDataResult result = new RedshiftDataResult(List.of(Map.of("name", "n"), Map.of("name", "x")), rows,
                0);

        Map<String, Object> first = result.page(ID, null);
        assertThat((List<?>) first.get("Records")).hasSize(RedshiftDataResult.PAGE_ROWS)
                .first().isEqualTo(List.of(Map.of("longValue", 0L), Map.of("isNull", true)));
        assertThat(first.get("TotalNumRows")).isEqualTo((long) rows.size());
        String token = (String) first.get("NextToken");
        assertThat(token).isNotNull();

        Map<String, Object> last = result.page(ID, token);
        assertThat((List<?>) last.get("Records")).hasSize(5);
        assertThat(last).doesNotContainKey("NextToken");

        assertError(() -> result.page(ID.replace('a', 'b'), token), "ValidationException",
                "is not one this statement's results gave");
    }
}
