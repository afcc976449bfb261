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
}
