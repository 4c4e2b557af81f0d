package dev.tally.billing;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ByteInternerTest {
    @Test
    void shouldGiveEqualBytesOneIdAndDifferentBytesDifferentIds() {
        ByteInterner interner = new ByteInterner();
        Map<String, Integer> ids = new HashMap<>();
        List<String> values = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            // shared prefixes and lengths around the word size, as resource ids and ARNs have
            String prefix = random.nextBoolean() ? "arn:aws:ecs:us-east-1:123456789012:task/c/" : "i-0";
            String value = prefix + Long.toHexString(random.nextLong() >>> random.nextInt(64));
            values.add(random.nextInt(10) == 0 ? value.substring(0, random.nextInt(value.length() + 1)) : value);
        }
        for (int round = 0; round < 2; round++) {
            for (String value : values) {
                // the bytes lie inside a larger buffer, as they do in a read batch
                byte[] buffer = ("xx" + value + "yyyyyyyy").getBytes(StandardCharsets.UTF_8);
                int id = interner.intern(buffer, 2, buffer.length - 8);
                Integer known = ids.putIfAbsent(value, id);
                assertThat(id).as(value).isEqualTo(known == null ? id : known);
                assertThat(interner.string(id)).isEqualTo(value);
            }
        }
        assertThat(interner.size()).isEqualTo(ids.size() + (ids.containsKey("") ? 0 : 1));
        assertThat(ids.values()).doesNotHaveDuplicates();
        assertThat(interner.intern("")).isEqualTo(ByteInterner.EMPTY);
    }

    @Test
    void shouldTellPrefixesAndKeepNonAsciiText() {
        ByteInterner interner = new ByteInterner();
        int instance = interner.intern("i-0abc");
        int volume = interner.intern("vol-12");
        int text = interner.intern("équipe données");

        assertThat(interner.startsWith(instance, "i-")).isTrue();
        assertThat(interner.startsWith(volume, "i-")).isFalse();
        assertThat(interner.startsWith(instance, "i-0abcdef")).isFalse();
        assertThat(interner.string(text)).isEqualTo("équipe données");
        assertThat(interner.intern("équipe données")).isEqualTo(text);
        assertThat(interner.intern("équipe donnée")).isNotEqualTo(text);
    }
}
