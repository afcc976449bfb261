package bai.scenarios.emulator.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultipartTest {
    @Test
    void readsFilePartsWithNamesAndContent() {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"src\"; filename=\"a.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nhello\r\n--XyZ\r\n"
                + "Content-Disposition: form-data; name=\"src\"; filename=\"b.bin\"\r\n\r\n\u0001\u0002\r\n--XyZ--\r\n";
        List<Multipart.Part> parts = Multipart.parse("multipart/form-data; boundary=XyZ",
                body.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(parts).extracting(Multipart.Part::filename).containsExactly("a.txt", "b.bin");
        assertThat(new String(parts.get(0).content(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(parts.get(1).content()).containsExactly(1, 2);
    }

    @Test
    void aBodyWithoutBoundaryIsMalformed() {
        assertThatThrownBy(() -> Multipart.parse("multipart/form-data", new byte[0]))
                .isInstanceOf(ApiError.class).extracting(e -> ((ApiError) e).status()).isEqualTo(400);
    }

    @Test
    void aBoundaryLongerThanRfc2046AllowsIsMalformed() {
        String boundary = "b".repeat(71);
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"src\"; filename=\"a\"\r\n\r\nx\r\n--"
                + boundary + "--\r\n";
        assertThatThrownBy(() -> Multipart.parse("multipart/form-data; boundary=" + boundary,
                body.getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(ApiError.class).extracting(e -> ((ApiError) e).status()).isEqualTo(400);
        assertThat(Multipart.parse("multipart/form-data; boundary=\"" + "b".repeat(70) + "\"",
                body.replace(boundary, "b".repeat(70)).getBytes(StandardCharsets.ISO_8859_1))).hasSize(1);
    }

    @Test
    void anUnterminatedBodyIsMalformed() {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"src\"; filename=\"a\"\r\n\r\nhello";
        assertThatThrownBy(() -> Multipart.parse("multipart/form-data; boundary=XyZ",
                body.getBytes(StandardCharsets.ISO_8859_1))).isInstanceOf(ApiError.class);
    }

    /**
     * A body full of near-misses of the longest allowed boundary: a scanner that restarts its
     * comparison at every offset does ~70 comparisons a byte; Undertow's state machine does one.
     * Bounded generously (a loaded machine), yet far below the quadratic scanner's time.
     */
    @Test
    void parseTimeIsLinearInTheBodySize() {
        String boundary = "a".repeat(70);
        StringBuilder content = new StringBuilder();
        String nearMiss = "\r\n--" + "a".repeat(69) + "b";
        while (content.length() < 8 * 1024 * 1024) {
            content.append(nearMiss);
        }
        byte[] body = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"src\"; filename=\"f\"\r\n\r\n"
                + content + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        long started = System.nanoTime();
        List<Multipart.Part> parts = Multipart.parse("multipart/form-data; boundary=" + boundary, body);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(parts).hasSize(1);
        assertThat(parts.get(0).content()).hasSize(content.length());
        assertThat(millis).as("parse time of an 8 MiB body").isLessThan(10_000);
    }
}
