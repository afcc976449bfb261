package bai.scenarios.hygiene;

import bai.scenarios.client.transport.SecretsSeen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The scan can fail: planted secrets are found, in plain text and inside attachments; clean reports pass. */
class ReportHygieneTest {
    private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYPLANTEDKEY";
    private static final String SIGNATURE = "d9adb4b518be1c4d5af5efc8ad6ef42256fcd24c874ce726390fbe77cc12d6fa";
    private static final String PASSWORD = "0123456789abcdef01234567";
    private static final Set<String> DIGESTS = Set.of(SecretsSeen.digest(SECRET_KEY), SecretsSeen.digest(SIGNATURE),
            SecretsSeen.digest(PASSWORD));

    @Test
    void aSecretKeyInAJsonReportIsFound(@TempDir Path reports) throws IOException {
        Files.writeString(reports.resolve("cucumber.json"), "{\"secret_key\":\"" + SECRET_KEY + "\"}");
        assertThat(ReportHygiene.scan(reports, DIGESTS)).singleElement()
                .satisfies(f -> assertThat(f.file().getFileName().toString()).isEqualTo("cucumber.json"))
                .satisfies(f -> assertThat(f.toString()).doesNotContain(SECRET_KEY));
    }

    @Test
    void aSignatureInAnAuthorizationHeaderIsFound(@TempDir Path reports) throws IOException {
        Files.writeString(reports.resolve("console.log"), "Authorization: BackendAI signMethod=HMAC-SHA256, "
                + "credential=AKIAIOSFODNN7EXAMPLE:" + SIGNATURE + "\n");
        assertThat(ReportHygiene.scan(reports, DIGESTS)).hasSize(1);
    }

    @Test
    void aPasswordInsideABase64AttachmentIsFound(@TempDir Path reports) throws IOException {
        String attachment = Base64.getEncoder().encodeToString(("POST /auth/authorize\n{\"password\": \"" + PASSWORD
                + "\"}").getBytes(StandardCharsets.UTF_8));
        Files.writeString(reports.resolve("cucumber.ndjson"), "{\"attachment\":{\"body\":\"" + attachment
                + "\",\"contentEncoding\":\"BASE64\"}}\n");
        assertThat(ReportHygiene.scan(reports, DIGESTS)).hasSize(1);
    }

    @Test
    void aSecretKeyInsideAUrlSafeBase64TokenIsFound(@TempDir Path reports) throws IOException {
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"sk\": \"" + SECRET_KEY
                + "\", \"pad\": \"??>>\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(token).contains("_");
        Files.writeString(reports.resolve("console.log"), "token " + token + "\n");
        assertThat(ReportHygiene.scan(reports, DIGESTS)).hasSize(1);
    }

    @Test
    void redactedReportsPass(@TempDir Path reports) throws IOException {
        Files.writeString(reports.resolve("cucumber.json"), "{\"secret_key\":\"<redacted>\",\"access_key\":"
                + "\"AKIAIOSFODNN7EXAMPLE\",\"signature\":\"credential=AKIAIOSFODNN7EXAMPLE:<redacted>\"}");
        assertThat(ReportHygiene.scan(reports, DIGESTS)).isEmpty();
    }
}
