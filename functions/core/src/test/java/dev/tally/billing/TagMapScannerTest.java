package dev.tally.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the byte-level reading of a tag map takes a map, it must find what the JSON parser finds. */
class TagMapScannerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] KEYS = {"user:product_area", "product_area"};

    /** The tag as BillLayout reads it: the first key, in order, whose value trimmed is not empty. */
    private static String parsed(String map) throws Exception {
        JsonNode tags = JSON.readTree(map);
        for (String key : KEYS) {
            JsonNode value = tags.get(key);
            String text = value == null || value.isNull() ? "" : value.asText().trim();
            if (!text.isEmpty()) {
                return text;
            }
        }
        return "";
    }

    private static String fast(TagMapScanner scanner, String map) {
        byte[] bytes = ("##" + map + "##").getBytes(StandardCharsets.UTF_8);
        long found = scanner.find(bytes, 2, bytes.length - 2);
        if (found == TagMapScanner.NOT_FAST) {
            return null;
        }
        return found == 0 ? "" : new String(bytes, (int) (found >>> 32), (int) found - (int) (found >>> 32),
                StandardCharsets.UTF_8);
    }

    @Test
    void shouldFindWhatTheParserFinds_inRandomMaps() throws Exception {
        byte[][] keys = {KEYS[0].getBytes(StandardCharsets.UTF_8), KEYS[1].getBytes(StandardCharsets.UTF_8)};
        TagMapScanner scanner = new TagMapScanner(keys);
        String[] names = {"user:product_area", "product_area", "user:Name", "user:product_area2", "x"};
        String[] values = {"\"web\"", "\" web \"", "\"\"", "\"  \"", "null", "12", "true", "{\"a\":\"b\"}",
            "[\"web\"]", "\"a\\\"b\"", "\"caf\u00e9\"", "\"tab\\there\"", "\"payments-api\""};
        String[] blanks = {"", " ", "\t", "\n"};
        Random random = new Random(9);
        int taken = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder map = new StringBuilder(blanks[random.nextInt(blanks.length)]).append('{');
            int members = random.nextInt(4);
            for (int m = 0; m < members; m++) {
                if (m > 0) {
                    map.append(blanks[random.nextInt(blanks.length)]).append(',');
                }
                map.append(blanks[random.nextInt(blanks.length)]).append('"')
                        .append(names[random.nextInt(names.length)]).append('"')
                        .append(blanks[random.nextInt(blanks.length)]).append(':')
                        .append(blanks[random.nextInt(blanks.length)]).append(values[random.nextInt(values.length)]);
            }
            map.append(blanks[random.nextInt(blanks.length)]).append('}');
            if (random.nextInt(20) == 0) {
                map.append(random.nextBoolean() ? " x" : "}");
            }
            String text = map.toString();
            String fast = fast(scanner, text);
            if (fast != null) {
                taken++;
                assertThat(fast).as(text).isEqualTo(parsed(text));
            }
        }
        assertThat(taken).as("maps the fast reading took").isGreaterThan(5_000);
    }

    @Test
    void shouldLeaveUnusualMapsToTheParser() {
        TagMapScanner scanner = new TagMapScanner(new byte[][] {KEYS[0].getBytes(StandardCharsets.UTF_8)});
        List<String> unusual = new ArrayList<>(List.of("{\"user:product_area\":\"a\\u0041\"}",
                "{\"user:product_area\":7}", "[\"user:product_area\"]", "{\"user:product_area\":\"web\"",
                "{\"user:product_area\":\"w\u00e9b\"}", "not json", "{\"user:product_area\":\"web\"} extra"));
        for (String map : unusual) {
            assertThat(fast(scanner, map)).as(map).isNull();
        }
        assertThat(fast(scanner, "{\"user:product_area\":\"web\",\"user:product_area\":\" api \"}")).isEqualTo("api");
        assertThat(fast(scanner, "{\"user:product_area\":\"web\",\"user:product_area\":null}")).isEmpty();
        assertThat(fast(scanner, "{}")).isEmpty();
    }
}
