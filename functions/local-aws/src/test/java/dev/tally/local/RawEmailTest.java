package dev.tally.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The SES emulator's reading of raw MIME messages. */
class RawEmailTest {

    private static RawEmail parse(String message) {
        return RawEmail.parse(message.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadASinglePartMessage() {
        RawEmail email = parse("From: a@tally.example\nTo: b@example.com\nCc: c@example.com, d@example.com\n"
                + "Subject: Hello\n\tthere\n\nLine 1\nLine 2\n");

        assertThat(email.from()).isEqualTo("a@tally.example");
        assertThat(email.to()).containsExactly("b@example.com");
        assertThat(email.cc()).containsExactly("c@example.com", "d@example.com");
        assertThat(email.subject()).isEqualTo("Hello there");
        assertThat(email.text()).isEqualTo("Line 1\nLine 2");
        assertThat(email.html()).isNull();
    }

    @Test
    void shouldFindTheTextAndHtmlParts_inNestedMultiparts() {
        RawEmail email = parse("To: b@example.com\r\nContent-Type: multipart/mixed; boundary=outer\r\n\r\npreamble\r\n"
                + "--outer\r\nContent-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n"
                + "--inner\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "caf\u00e9\r\n--inner\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n--inner--\r\n"
                + "--outer\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--outer--\r\n");

        assertThat(email.text()).isEqualTo("caf\u00c3\u00a9"); // UTF-8 bytes read as the part's declared charset
        assertThat(email.html()).isEqualTo("<p>x</p>");
        assertThat(email.from()).isNull();
    }

    @Test
    void shouldSplitAddresses_butNotInsideQuotesOrAngleBrackets() {
        assertThat(RawEmail.addresses("\"Doe, J\" <j@example.com>, k@example.com,, <l@example.com>"))
                .containsExactly("\"Doe, J\" <j@example.com>", "k@example.com", "<l@example.com>");
        assertThat(RawEmail.addresses(null)).isEmpty();
    }

    @Test
    void shouldDecodeQuotedPrintableSoftBreaks() {
        RawEmail email = parse("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
                + "Your code is 12=\n3456 =E2=9C=93\n");

        assertThat(email.text()).isEqualTo("Your code is 123456 \u2713");
    }
}
