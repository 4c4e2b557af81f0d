package dev.tally.aws.s3;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResumingInputStreamTest {
    private static final byte[] OBJECT = new byte[100_000];

    static {
        for (int i = 0; i < OBJECT.length; i++) {
            OBJECT[i] = (byte) (i * 31);
        }
    }

    /** A connection that breaks after {@code limit} bytes. */
    private static InputStream breaking(int from, int limit) {
        return new InputStream() {
            int read;

            @Override
            public int read() throws IOException {
                if (read >= limit) {
                    throw new IOException("Connection reset");
                }
                int at = from + read++;
                return at >= OBJECT.length ? -1 : OBJECT[at] & 0xff;
            }
        };
    }

    @Test
    void shouldResumeFromTheByteItReached_whenTheConnectionBreaks() throws IOException {
        List<Long> offsets = new ArrayList<>();
        ResumingInputStream in = new ResumingInputStream(offset -> {
            offsets.add(offset);
            return breaking((int) offset, 30_000);
        }, breaking(0, 12_345), OBJECT.length, 5, 1);

        byte[] all = in.readAllBytes();

        assertThat(all).isEqualTo(OBJECT);
        assertThat(offsets).containsExactly(12_345L, 42_345L, 72_345L);
    }

    @Test
    void shouldGiveUp_afterItsAttempts() {
        ResumingInputStream in = new ResumingInputStream(offset -> breaking((int) offset, 0), breaking(0, 10), OBJECT.length, 2, 1);

        assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessage("Connection reset");
    }

    @Test
    void shouldNotResume_whenTheObjectChangedOrWentAway() {
        ResumingInputStream in = new ResumingInputStream(offset -> {
            throw new dev.tally.delivery.ObjectStore.Changed("s3://b/k");
        }, breaking(0, 10), OBJECT.length, 3, 1);

        assertThatThrownBy(in::readAllBytes).isInstanceOf(dev.tally.delivery.ObjectStore.Changed.class);
    }

    @Test
    void shouldResume_whenTheResponseEndsBeforeTheObjectsLength() throws IOException {
        List<Long> offsets = new ArrayList<>();
        ResumingInputStream in = new ResumingInputStream(offset -> {
            offsets.add(offset);
            return new ByteArrayInputStream(OBJECT, (int) offset, OBJECT.length - (int) offset);
        }, new ByteArrayInputStream(OBJECT, 0, 40_000), OBJECT.length, 3, 1);

        assertThat(in.readAllBytes()).isEqualTo(OBJECT);
        assertThat(offsets).containsExactly(40_000L);
    }

    @Test
    void shouldReadAWholeStream_untouched() throws IOException {
        ResumingInputStream in = new ResumingInputStream(offset -> {
            throw new AssertionError("no reopen expected");
        }, new ByteArrayInputStream(OBJECT), OBJECT.length, 3);

        assertThat(in.readAllBytes()).isEqualTo(OBJECT);
    }
}
