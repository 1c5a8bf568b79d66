package dev.dopq.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Dates on the command line: local dates and times in the clock's zone, ISO instants, or ages like "7d". */
final class Dates {
    private static final Pattern AGE = Pattern.compile("(\\d{1,9})([smhdw])");

    private Dates() {
    }

    static Instant parse(CommandSpec spec, String option, String text, Clock clock) {
        String value = text.trim();
        Matcher age = AGE.matcher(value.toLowerCase(Locale.ROOT));
        if (age.matches()) {
            return clock.instant().minus(age(Long.parseLong(age.group(1)), age.group(2).charAt(0)));
        }
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(clock.getZone()).toInstant();
            }
            if (value.endsWith("Z") || value.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                return OffsetDateTime.parse(value).toInstant();
            }
            return LocalDateTime.parse(value).atZone(clock.getZone()).toInstant();
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), option + ": \"" + text + "\" is not a date; use "
                    + "2024-05-01, 2024-05-01T10:00, 2024-05-01T10:00:00Z or an age such as 30m, 12h, 7d");
        }
    }

    private static Duration age(long amount, char unit) {
        return switch (unit) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> Duration.ofDays(7 * amount);
        };
    }
}
