package bai.scenarios.emulator.auth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The emulator's verifier reproduces the digest's §2.4 vectors on its own (no client code involved). */
class HmacVerifierTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @ParameterizedTest(name = "vector {0}")
    @CsvSource(delimiter = '|', textBlock = """
            1 | GET  | /session/_/match?id=my-session  | api.example.com | application/json         | 2025-07-22T12:34:56+00:00 | 20250722 | 734d807be46af158214244afe7ae94dcf7a863c0fbbb352d8856e953670d73f9
            2 | POST | /session                        | api.example.com | application/json         | 2025-07-22T12:34:56+00:00 | 20250722 | d9adb4b518be1c4d5af5efc8ad6ef42256fcd24c874ce726390fbe77cc12d6fa
            3 | POST | /folders/my-data/request-upload | 127.0.0.1:8081  | application/json         | 2025-07-22T12:34:56+00:00 | 20250722 | 441f59166dfeafe4404245bf0774b250b7cc54ee60658495c17306a30e32cb3a
            4 | GET  | /auth/test                      | 127.0.0.1:8081  | application/octet-stream | 2025-07-23T08:30:00+09:00 | 20250723 | dbce0fe4d47ee715bf638e3ced6d6ab16921769654429f53317b1a685ca68119
            """)
    void recomputesTheDigestVectors(int n, String method, String target, String host, String mediaType, String date,
                                    String day, String signature) {
        String toSign = HmacVerifier.stringToSign(method, target, date, host, mediaType, "x-backendai-version",
                "v9.20250722", HmacVerifier.bodyHash("sha256", new byte[0]));
        assertThat(HmacVerifier.signature("sha256", SECRET, day, host, toSign)).isEqualTo(signature);
        assertThat(HmacVerifier.matches(signature, signature)).isTrue();
        assertThat(HmacVerifier.matches(signature, signature.replace('7', '8'))).isFalse();
    }
}
