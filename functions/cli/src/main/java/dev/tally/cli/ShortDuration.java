package dev.tally.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A duration as typed on the command line: {@code 30s}, {@code 15m}, {@code 2h}. */
final class ShortDuration implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern FORM = Pattern.compile("([1-9][0-9]{0,8})([smh])");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        Matcher form = FORM.matcher(value == null ? "" : value.trim());
        if (!form.matches()) {
            throw new CommandLine.TypeConversionException("'" + value
                    + "' is not a duration: a positive whole number and s, m or h (30s, 15m, 2h)");
        }
        long amount = Long.parseLong(form.group(1));
        return switch (form.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }
}
