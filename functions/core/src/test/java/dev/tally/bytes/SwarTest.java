package dev.tally.bytes;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class SwarTest {
    private static int naive(byte[] b, int from, int to, String targets, boolean controls) {
        for (int i = from; i < to; i++) {
            if (targets.indexOf(b[i]) >= 0 && b[i] >= 0 || (controls && b[i] < 0x20)) {
                return i;
            }
        }
        return to;
    }

    @Test
    void shouldFindTheFirstDelimiter_likeAByteLoop() {
        SplittableRandom random = new SplittableRandom(11);
        byte[] alphabet = {'a', 'b', ',', '\n', '\r', '"', '\\', 0x01, 0x1f, 0x20, 0x21, (byte) 0x80, (byte) 0xC3,
            (byte) 0xFF, 0x7F, '0', '9', 0x2C - 1, 0x0A + 1};
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(1, 40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) 'x';
            }
            int from = random.nextInt(b.length);
            int to = random.nextInt(from, b.length + 1);
            assertThat(Swar.fieldEnd(b, from, to)).isEqualTo(naive(b, from, to, ",\n\r", false));
            assertThat(Swar.quotedEnd(b, from, to)).isEqualTo(naive(b, from, to, "\"\n\r", false));
            assertThat(Swar.lineEnd(b, from, to)).isEqualTo(naive(b, from, to, "\n\r", false));
            assertThat(Swar.jsonStringStop(b, from, to)).isEqualTo(naive(b, from, to, "\"\\", true));
        }
    }
}
