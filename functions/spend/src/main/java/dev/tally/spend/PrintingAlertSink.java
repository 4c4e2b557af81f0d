package dev.tally.spend;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Alerts written locally: readable text to a stream (standard output), or one JSON object per line to a file. */
public final class PrintingAlertSink implements AlertSink {
    private final PrintWriter out;
    private final Path file;

    private PrintingAlertSink(PrintWriter out, Path file) {
        this.out = out;
        this.file = file;
    }

    public static PrintingAlertSink text(PrintWriter out) {
        return new PrintingAlertSink(out, null);
    }

    /** Appends JSON lines to {@code file}, created if it is not there. */
    public static PrintingAlertSink jsonLines(Path file) {
        return new PrintingAlertSink(null, file);
    }

    @Override
    public String name() {
        return file == null ? "stdout" : "file";
    }

    @Override
    public void send(Alert alert) throws IOException {
        if (file == null) {
            out.println(AlertText.title(alert));
            out.print(AlertText.body(alert).indent(2));
            out.flush();
            return;
        }
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, AlertJson.line(alert) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
