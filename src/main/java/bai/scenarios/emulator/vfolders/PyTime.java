package bai.scenarios.emulator.vfolders;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Python's renderings of an aware UTC datetime, as the manager's answers carry them. */
final class PyTime {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private PyTime() {
    }

    /** {@code datetime.isoformat()}: {@code 2025-01-02T03:04:05.123456+00:00} (no fraction when it is zero). */
    static String isoformat(Instant instant) {
        OffsetDateTime time = instant.atOffset(ZoneOffset.UTC);
        int micros = time.getNano() / 1000;
        return time.format(SECONDS) + (micros == 0 ? "" : String.format(".%06d", micros)) + "+00:00";
    }

    /** {@code str(datetime)}: as {@link #isoformat} with a space between date and time. */
    static String str(Instant instant) {
        return isoformat(instant).replace('T', ' ');
    }

    /** Truncated to microseconds, as PostgreSQL keeps timestamps. */
    static Instant now() {
        Instant now = Instant.now();
        return now.minusNanos(now.getNano() % 1000);
    }
}
