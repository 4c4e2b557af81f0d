package dev.tally.local;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough MIME for the SES emulator to put a {@code Content.Raw} message in the outbox like a simple one: the
 * top-level {@code From}, {@code To}, {@code Cc}, {@code Subject} headers (unfolded; encoded words are left as they
 * are) and the first {@code text/plain} and {@code text/html} parts, in a single-part message or one level of
 * {@code multipart/*} (nested multiparts are searched too), decoded from {@code base64} or
 * {@code quoted-printable}.
 */
record RawEmail(String from, List<String> to, List<String> cc, String subject, String text, String html) {
    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(\"([^\"]+)\"|([^;\\s]+))");
    private static final Pattern CHARSET = Pattern.compile("(?i)charset=\"?([^\";\\s]+)\"?");

    static RawEmail parse(byte[] message) {
        Part top = Part.of(new String(message, StandardCharsets.ISO_8859_1));
        String[] found = new String[2];
        top.collect(found);
        return new RawEmail(top.header("from"), addresses(top.header("to")), addresses(top.header("cc")),
                top.header("subject"), found[0], found[1]);
    }

    /** A header's comma-separated addresses (commas inside quotes or angle brackets do not split). */
    static List<String> addresses(String header) {
        List<String> addresses = new ArrayList<>();
        if (header == null) {
            return addresses;
        }
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        int angle = 0;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '<' && !quoted) {
                angle++;
            } else if (c == '>' && !quoted && angle > 0) {
                angle--;
            } else if (c == ',' && !quoted && angle == 0) {
                add(addresses, current);
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        add(addresses, current);
        return addresses;
    }

    private static void add(List<String> addresses, StringBuilder address) {
        String trimmed = address.toString().strip();
        if (!trimmed.isEmpty()) {
            addresses.add(trimmed);
        }
    }

    /** One MIME entity, its text in ISO-8859-1 (one char per byte) until a part is decoded. */
    private record Part(Map<String, String> headers, String body) {

        static Part of(String entity) {
            String text = entity.replace("\r\n", "\n");
            int end = text.startsWith("\n") ? 0 : text.indexOf("\n\n");
            String head = end < 0 ? text : text.substring(0, end);
            String body = end < 0 ? "" : text.substring(end + (end == 0 ? 1 : 2));
            Map<String, String> headers = new LinkedHashMap<>();
            String name = null;
            for (String line : head.split("\n")) {
                if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
                    headers.merge(name, " " + line.strip(), String::concat); // a folded line
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                    headers.putIfAbsent(name, line.substring(colon + 1).strip());
                }
            }
            return new Part(headers, body);
        }

        String header(String name) {
            return headers.get(name);
        }

        String type() {
            String type = headers.getOrDefault("content-type", "text/plain");
            int semicolon = type.indexOf(';');
            return (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        }

        /** Fills {@code found[0]} with the first text/plain, {@code found[1]} with the first text/html. */
        void collect(String[] found) {
            String type = type();
            if (type.startsWith("multipart/")) {
                Matcher boundary = BOUNDARY.matcher(headers.getOrDefault("content-type", ""));
                if (boundary.find()) {
                    String marker = "--" + (boundary.group(2) != null ? boundary.group(2) : boundary.group(3));
                    String[] pieces = body.split("(?m)^" + Pattern.quote(marker));
                    for (int i = 1; i < pieces.length; i++) {
                        if (pieces[i].startsWith("--")) {
                            break; // the closing delimiter
                        }
                        Part.of(pieces[i].replaceFirst("^[ \\t]*\\n", "")).collect(found);
                    }
                }
            } else if (type.equals("text/plain") && found[0] == null) {
                found[0] = decoded();
            } else if (type.equals("text/html") && found[1] == null) {
                found[1] = decoded();
            }
        }

        private String decoded() {
            String encoding = headers.getOrDefault("content-transfer-encoding", "7bit").strip().toLowerCase(Locale.ROOT);
            byte[] bytes;
            if (encoding.equals("base64")) {
                bytes = Base64.getMimeDecoder().decode(body.strip());
            } else if (encoding.equals("quoted-printable")) {
                bytes = quotedPrintable(body);
            } else {
                bytes = body.getBytes(StandardCharsets.ISO_8859_1);
            }
            String text = new String(bytes, charset());
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        }

        private Charset charset() {
            Matcher charset = CHARSET.matcher(headers.getOrDefault("content-type", ""));
            try {
                return charset.find() ? Charset.forName(charset.group(1)) : StandardCharsets.UTF_8;
            } catch (IllegalArgumentException e) {
                return StandardCharsets.UTF_8;
            }
        }

        private static byte[] quotedPrintable(String text) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '=' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++; // a soft line break
                } else if (c == '=' && i + 2 < text.length()
                        && Character.digit(text.charAt(i + 1), 16) >= 0 && Character.digit(text.charAt(i + 2), 16) >= 0) {
                    out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    i += 2;
                } else {
                    out.write(c);
                }
            }
            return out.toByteArray();
        }
    }
}
