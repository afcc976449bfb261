package bai.scenarios.emulator.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class DateHeadersTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            2025-07-22T12:34:56.123456+00:00 | 2025-07-22T12:34:56.123456Z
            2025-07-23T08:30:00+09:00        | 2025-07-23T08:30+09:00
            2025-07-22T12:34:56Z             | 2025-07-22T12:34:56Z
            2025-07-22T12:34:56              | 2025-07-22T12:34:56Z
            2025-07-22 12:34:56+0900         | 2025-07-22T12:34:56+09:00
            Tue, 22 Jul 2025 12:34:56 GMT    | 2025-07-22T12:34:56Z
            Tue, 22 Jul 2025 21:34:56 KST    | 2025-07-22T21:34:56+09:00
            Tue, 22 Jul 2025 12:34:56 +0200  | 2025-07-22T12:34:56+02:00
            """)
    void parsesTheFormatsClientsSend(String header, String expected) {
        assertThat(DateHeaders.parse(header)).contains(OffsetDateTime.parse(expected));
    }

    @Test
    void keepsTheHeadersOwnOffsetForTheSigningDay() {
        assertThat(DateHeaders.parse("2025-07-23T08:30:00+09:00").orElseThrow().toLocalDate())
                .hasToString("2025-07-23");
    }

    @ParameterizedTest
    @CsvSource({"yesterday", "2025-13-45T00:00:00", "''", "Tue, 22 Jul 2025 12:34:56 XYZ"})
    void rejectsWhatItCannotRead(String header) {
        assertThat(DateHeaders.parse(header)).isEmpty();
    }
}
