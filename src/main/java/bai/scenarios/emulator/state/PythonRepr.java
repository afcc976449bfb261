package bai.scenarios.emulator.state;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.Map;

/**
 * Values as the manager's Python code prints them where they reach the wire as text: {@code str()}
 * of a dict of strings or of a {@code ResourceSlot} (a dict of {@code Decimal}s),
 * {@code datetime.isoformat()} and {@code str(datetime)} in UTC ({@code +00:00}, microseconds only
 * when there are any), {@code str(timedelta)}, and Python's {@code str(Decimal)}.
 */
public final class PythonRepr {
    private PythonRepr() {
    }

    /** {@code datetime.isoformat()} of a UTC datetime: {@code 2026-11-26T01:10:30.123456+00:00}. */
    public static String isoformat(Instant instant) {
        return format(instant, 'T');
    }

    /** {@code str(datetime)} of a UTC datetime: {@code 2026-11-26 01:10:30.123456+00:00}. */
    public static String str(Instant instant) {
        return format(instant, ' ');
    }

    private static String format(Instant instant, char separator) {
        LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        StringBuilder text = new StringBuilder(String.format("%04d-%02d-%02d%c%02d:%02d:%02d", t.getYear(),
                t.getMonthValue(), t.getDayOfMonth(), separator, t.getHour(), t.getMinute(), t.getSecond()));
        int micros = t.getNano() / 1000;
        if (micros != 0) {
            text.append(String.format(".%06d", micros));
        }
        return text.append("+00:00").toString();
    }

    /** The instant an isoformat (or any ISO offset) timestamp names. */
    public static Instant parse(String timestamp) {
        return java.time.OffsetDateTime.parse(timestamp.replace(' ', 'T')).toInstant();
    }

    /** {@code str(timedelta)}: {@code 0:00:05.123456}, {@code 1 day, 2:03:04}. */
    public static String timedelta(Duration duration) {
        long micros = duration.toNanos() / 1000;
        long days = Math.floorDiv(micros, 86_400_000_000L);
        long rest = Math.floorMod(micros, 86_400_000_000L);
        long seconds = rest / 1_000_000;
        long fraction = rest % 1_000_000;
        StringBuilder text = new StringBuilder();
        if (days != 0) {
            text.append(days).append(Math.abs(days) == 1 ? " day, " : " days, ");
        }
        text.append(String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60));
        if (fraction != 0) {
            text.append(String.format(".%06d", fraction));
        }
        return text.toString();
    }

    /** Python's {@code str(Decimal)} of a normalised value: plain digits, no trailing zeros after the point. */
    public static String decimal(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0).toPlainString() : stripped.toPlainString();
    }

    /** {@code str()} of a {@code ResourceSlot}: {@code {'cpu': Decimal('1'), 'mem': Decimal('268435456')}}. */
    public static String slots(Map<String, BigDecimal> slots) {
        StringBuilder text = new StringBuilder("{");
        for (Iterator<Map.Entry<String, BigDecimal>> it = slots.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, BigDecimal> slot = it.next();
            text.append(string(slot.getKey())).append(": Decimal('").append(decimal(slot.getValue())).append("')");
            if (it.hasNext()) {
                text.append(", ");
            }
        }
        return text.append('}').toString();
    }

    /** {@code str()} of a dict of strings: {@code {'A': 'b'}}. */
    public static String stringMap(Map<String, String> map) {
        StringBuilder text = new StringBuilder("{");
        for (Iterator<Map.Entry<String, String>> it = map.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, String> entry = it.next();
            text.append(string(entry.getKey())).append(": ").append(string(entry.getValue()));
            if (it.hasNext()) {
                text.append(", ");
            }
        }
        return text.append('}').toString();
    }

    /** {@code repr()} of a string: single quotes unless it holds a single quote and no double quote. */
    public static String string(String value) {
        char quote = value.indexOf('\'') >= 0 && value.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder text = new StringBuilder().append(quote);
        value.codePoints().forEach(c -> {
            if (c == quote || c == '\\') {
                text.append('\\').appendCodePoint(c);
            } else if (c == '\n') {
                text.append("\\n");
            } else if (c == '\r') {
                text.append("\\r");
            } else if (c == '\t') {
                text.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                text.append(String.format("\\x%02x", c));
            } else if (c >= 0x80 && c < 0xa0) {
                text.append(String.format("\\x%02x", c));
            } else {
                text.appendCodePoint(c);
            }
        });
        return text.append(quote).toString();
    }
}
