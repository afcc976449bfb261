package bai.scenarios.emulator.auth;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Parses the request date the way the manager's {@code dateutil} parser does for the formats
 * clients send: ISO 8601 (offset optional, meaning UTC), RFC 1123, and common time-zone
 * abbreviations. The parsed offset is kept because the signing key uses the header's own day.
 */
final class DateHeaders {
    private static final DateTimeFormatter ISO = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter(Locale.ROOT);

    private static final DateTimeFormatter RFC_1123_LOCAL = DateTimeFormatter
            .ofPattern("EEE, d MMM yyyy HH:mm:ss", Locale.ENGLISH);

    /** A few of the manager's {@code whois_timezone_info} abbreviations, in seconds east of UTC. */
    private static final Map<String, Integer> ZONES = Map.ofEntries(
            Map.entry("UTC", 0), Map.entry("GMT", 0), Map.entry("UT", 0), Map.entry("Z", 0),
            Map.entry("KST", 9 * 3600), Map.entry("JST", 9 * 3600), Map.entry("CET", 3600),
            Map.entry("CEST", 2 * 3600), Map.entry("EST", -5 * 3600), Map.entry("EDT", -4 * 3600),
            Map.entry("CST", -6 * 3600), Map.entry("CDT", -5 * 3600), Map.entry("MST", -7 * 3600),
            Map.entry("MDT", -6 * 3600), Map.entry("PST", -8 * 3600), Map.entry("PDT", -7 * 3600));

    private DateHeaders() {
    }

    static Optional<OffsetDateTime> parse(String raw) {
        String text = raw.trim();
        try {
            var parsed = ISO.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
            if (parsed instanceof OffsetDateTime offset) {
                return Optional.of(offset);
            }
            return Optional.of(((LocalDateTime) parsed).atOffset(ZoneOffset.UTC));
        } catch (DateTimeParseException notIso) {
            return parseRfc1123(text);
        }
    }

    private static Optional<OffsetDateTime> parseRfc1123(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME));
        } catch (DateTimeParseException notNumericZone) {
            int lastSpace = text.lastIndexOf(' ');
            if (lastSpace < 0) {
                return Optional.empty();
            }
            Integer seconds = ZONES.get(text.substring(lastSpace + 1).toUpperCase(Locale.ROOT));
            if (seconds == null) {
                return Optional.empty();
            }
            try {
                LocalDateTime local = LocalDateTime.parse(text.substring(0, lastSpace), RFC_1123_LOCAL);
                return Optional.of(local.atOffset(ZoneOffset.ofTotalSeconds(seconds)));
            } catch (DateTimeParseException notRfc) {
                return Optional.empty();
            }
        }
    }
}
