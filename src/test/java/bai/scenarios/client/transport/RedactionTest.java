package bai.scenarios.client.transport;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionTest {

    @Test
    void authorizationKeepsTheAccessKeyButNotTheSignature() {
        String header = "BackendAI signMethod=HMAC-SHA256, credential=AKIAIOSFODNN7EXAMPLE:0123abcd";
        assertThat(Redaction.header("Authorization", header))
                .contains("AKIAIOSFODNN7EXAMPLE").doesNotContain("0123abcd").contains(Redaction.HIDDEN);
    }

    @Test
    void tokensAndCookiesAreHidden() {
        assertThat(Redaction.header("X-BackendAI-Token", "eyJhbGci")).isEqualTo(Redaction.HIDDEN);
        assertThat(Redaction.header("Cookie", "AIOHTTP_SESSION=x")).isEqualTo(Redaction.HIDDEN);
        assertThat(Redaction.header("Content-Type", "application/json")).isEqualTo("application/json");
    }

    @Test
    void secretJsonFieldsAreHiddenAtAnyDepth() {
        String body = """
                {"data": {"access_key": "AKIA1", "secret_key": "s3cr3t", "session_token": "tok"},
                 "props": {"password": "pw!"}, "items": [{"keypair": {"secret_key": "nested"}}]}""";
        String redacted = Redaction.body(body.getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(redacted).contains("AKIA1").doesNotContain("s3cr3t", "tok\"", "pw!", "nested");
    }

    @Test
    void longBodiesAreTruncatedAndBinaryIsSummarised() {
        assertThat(Redaction.body("x".repeat(10_000).getBytes(StandardCharsets.UTF_8), "text/plain"))
                .hasSizeLessThan(4200).contains("more characters");
        assertThat(Redaction.body(new byte[] {1, 0, 2}, "application/octet-stream")).isEqualTo("<3 bytes of binary data>");
    }

    @Test
    void tokensInAQueryStringAreHiddenAndTheRestKept() {
        String url = "http://127.0.0.1:6021/upload?token=eyJhbGciOiJIUzI1NiJ9.e30.sig&dst_dir=out";
        assertThat(Redaction.uri(url)).isEqualTo("http://127.0.0.1:6021/upload?token=" + Redaction.HIDDEN + "&dst_dir=out");
        assertThat(Redaction.uri("GET /download?archive=true&Token=abc")).isEqualTo("GET /download?archive=true&Token="
                + Redaction.HIDDEN);
        assertThat(Redaction.uri("/folders/data/files?path=token%3Dx")).isEqualTo("/folders/data/files?path=token%3Dx");
    }

    @Test
    void credentialsNeverPrintTheirSecret() {
        assertThat(new Credentials("AKIA1", "topsecret").toString()).doesNotContain("topsecret");
    }
}
