package bai.scenarios.client.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** The four test vectors of the wire-protocol digest §2.4, reproduced to the hex digit, and the known traps. */
class HmacSignerTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @ParameterizedTest(name = "vector {0}: {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            1 | GET  | /session/_/match?id=my-session   | api.example.com | application/json | 2025-07-22T12:34:56+00:00 | 7a0a58ec14c4dcf7d478df0b0fca3a29f8514b1f2c63ac68579a526166ea42d0 | ba4ff415fbca175516735278f1b00f501158c4d6b847526655ef83e73d5f4c82 | 734d807be46af158214244afe7ae94dcf7a863c0fbbb352d8856e953670d73f9
            2 | POST | /session                         | api.example.com | application/json | 2025-07-22T12:34:56+00:00 | 7a0a58ec14c4dcf7d478df0b0fca3a29f8514b1f2c63ac68579a526166ea42d0 | ba4ff415fbca175516735278f1b00f501158c4d6b847526655ef83e73d5f4c82 | d9adb4b518be1c4d5af5efc8ad6ef42256fcd24c874ce726390fbe77cc12d6fa
            3 | POST | /folders/my-data/request-upload  | 127.0.0.1:8081  | application/json | 2025-07-22T12:34:56+00:00 | 7a0a58ec14c4dcf7d478df0b0fca3a29f8514b1f2c63ac68579a526166ea42d0 | 9d7354c4db818106776ee9f2252685393b100c3485609173fafb06cc3dfff3e8 | 441f59166dfeafe4404245bf0774b250b7cc54ee60658495c17306a30e32cb3a
            4 | GET  | /auth/test                       | 127.0.0.1:8081  |                  | 2025-07-23T08:30:00+09:00 | 818dd22fb1712d7a4946c335bdd0f2e0be0281020fa0dbe328172c288a8b6701 | fe1c6c00ada256871fcd7b9440b608c352191784eb2a27ed6d7bd7b9bd38fb5d | dbce0fe4d47ee715bf638e3ced6d6ab16921769654429f53317b1a685ca68119
            """)
    void reproducesDigestVectors(int n, String method, String target, String host, String contentType, String date,
                                 String dateKey, String hostKey, String signature) {
        var request = new HmacSigner.Signable(method, target, date, host, contentType);
        assertThat(HexFormat.of().formatHex(HmacSigner.dateKey(SECRET, date))).as("k_date").isEqualTo(dateKey);
        assertThat(HexFormat.of().formatHex(HmacSigner.hostKey(SECRET, date, host))).as("k_host").isEqualTo(hostKey);
        assertThat(HmacSigner.signature(SECRET, request)).as("signature").isEqualTo(signature);
    }

    @Test
    void stringToSignOfVectorTwoHasSevenLinesAndNoTrailingNewline() {
        String expected = String.join("\n", "POST", "/session", "2025-07-22T12:34:56+00:00", "host:api.example.com",
                "content-type:application/json", "x-backendai-version:v9.20250722",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(HmacSigner.stringToSign(new HmacSigner.Signable("POST", "/session", "2025-07-22T12:34:56+00:00",
                "api.example.com", "application/json"))).isEqualTo(expected);
    }

    @Test
    void authorizationHeaderHasTheManagersShape() {
        assertThat(HmacSigner.authorization("AKIAIOSFODNN7EXAMPLE",
                "d9adb4b518be1c4d5af5efc8ad6ef42256fcd24c874ce726390fbe77cc12d6fa"))
                .isEqualTo("BackendAI signMethod=HMAC-SHA256, credential=AKIAIOSFODNN7EXAMPLE:"
                        + "d9adb4b518be1c4d5af5efc8ad6ef42256fcd24c874ce726390fbe77cc12d6fa");
    }

    @Test
    void charsetParameterIsNotSigned() {
        String date = "2025-07-22T12:34:56+00:00";
        var withCharset = new HmacSigner.Signable("POST", "/session", date, "api.example.com",
                "Application/JSON; charset=UTF-8");
        assertThat(HmacSigner.mediaType("Application/JSON; charset=UTF-8")).isEqualTo("application/json");
        assertThat(HmacSigner.signature(SECRET, withCharset))
                .isEqualTo("d9adb4b518be1c4d5af5efc8ad6ef42256fcd24c874ce726390fbe77cc12d6fa");
    }

    @Test
    void noContentTypeIsSignedAsOctetStream() {
        assertThat(HmacSigner.mediaType(null)).isEqualTo("application/octet-stream");
        assertThat(HmacSigner.mediaType("")).isEqualTo("application/octet-stream");
    }

    @ParameterizedTest
    @CsvSource({
        "http://api.example.com:80/, api.example.com",
        "https://api.example.com:443, api.example.com",
        "http://127.0.0.1:8081, 127.0.0.1:8081",
        "https://api.example.com:8443, api.example.com:8443",
        "http://api.example.com, api.example.com",
        "http://[::1]:8081, [::1]:8081"
    })
    void hostCarriesAPortOnlyWhenItIsNotTheDefault(String endpoint, String host) {
        assertThat(HmacSigner.host(URI.create(endpoint))).isEqualTo(host);
    }

    @Test
    void defaultPortTrapGivesADifferentSignature() {
        // Signing "api.example.com:443" when the server sees "api.example.com" would be refused.
        String date = "2025-07-22T12:34:56+00:00";
        assertThat(HmacSigner.signature(SECRET, new HmacSigner.Signable("POST", "/session", date,
                "api.example.com:443", "application/json")))
                .isNotEqualTo("d9adb4b518be1c4d5af5efc8ad6ef42256fcd24c874ce726390fbe77cc12d6fa");
    }
}
