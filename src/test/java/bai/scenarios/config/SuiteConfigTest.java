package bai.scenarios.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SuiteConfigTest {

    private static Properties props(String... keyValues) {
        Properties props = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }

    @Test
    void nothingConfiguredMeansTheEmbeddedEmulator() {
        SuiteConfig config = SuiteConfig.from(props(), Map.of());
        assertThat(config.endpoint()).isEmpty();
        assertThat(config.credentials()).isEmpty();
        assertThat(config.openApiContract()).isEmpty();
    }

    @Test
    void systemPropertiesWinOverEnvironmentVariables() {
        SuiteConfig config = SuiteConfig.from(props("bai.endpoint", "http://a:8081"),
                Map.of("BAI_ENDPOINT", "http://b:8081", "BAI_ACCESS_KEY", "AK", "BAI_SECRET_KEY", "SK"));
        assertThat(config.endpoint().orElseThrow()).hasToString("http://a:8081");
        assertThat(config.credentials().orElseThrow().accessKey()).isEqualTo("AK");
    }

    @Test
    void defaultPortsAndTrailingSlashesAreDropped() {
        assertThat(SuiteConfig.parseEndpoint("https://mgr.example.com:443/")).hasToString("https://mgr.example.com");
        assertThat(SuiteConfig.parseEndpoint("http://127.0.0.1:8081")).hasToString("http://127.0.0.1:8081");
    }

    @Test
    void anEndpointWithoutKeysFailsWithOneReadableLine() {
        assertThatThrownBy(() -> SuiteConfig.from(props("bai.endpoint", "http://mgr:8081"), Map.of()))
                .isInstanceOf(PreflightFailure.class)
                .hasMessageContaining("bai.access-key").hasMessageNotContaining("\n");
    }

    @Test
    void halfAKeypairIsRefused() {
        assertThatThrownBy(() -> SuiteConfig.from(props("bai.access-key", "AK"), Map.of()))
                .isInstanceOf(PreflightFailure.class).hasMessageContaining("bai.secret-key is missing");
    }

    @Test
    void aNonHttpEndpointIsRefused() {
        assertThatThrownBy(() -> SuiteConfig.from(props("bai.endpoint", "mgr:8081", "bai.access-key", "A",
                "bai.secret-key", "S"), Map.of()))
                .isInstanceOf(PreflightFailure.class).hasMessageContaining("not an http(s) URL");
    }

    @Test
    void aMissingContractFileIsNamed() {
        assertThatThrownBy(() -> SuiteConfig.from(props("bai.contract.openapi", "no/such/openapi.json"), Map.of()))
                .isInstanceOf(PreflightFailure.class).hasMessageContaining("openapi.json").hasMessageContaining("does not exist");
    }

    @Test
    void theWordTargetMeansTheTargetsOwnDocument() {
        assertThat(SuiteConfig.from(props("bai.contract.openapi", "target"), Map.of()).openApiContract())
                .contains(new OpenApiSource.Target());
        assertThat(SuiteConfig.from(props(), Map.of("BAI_CONTRACT_OPENAPI", " TARGET ")).openApiContract())
                .contains(new OpenApiSource.Target());
    }

    @Test
    void aFilePathIsStillAFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("openapi.json"), "{}");
        assertThat(SuiteConfig.from(props("bai.contract.openapi", file.toString()), Map.of()).openApiContract())
                .contains(new OpenApiSource.File(file.toAbsolutePath().normalize()));
    }

    @Test
    void aMissingContractFileMentionsTheTargetAlternative() {
        assertThatThrownBy(() -> SuiteConfig.from(props(), Map.of("BAI_CONTRACT_OPENAPI", "no/such/openapi.json")))
                .isInstanceOf(PreflightFailure.class).hasMessageContaining("'target'").hasMessageNotContaining("\n");
    }

    @Test
    void theClientSendsThroughTheJdkUnlessToldOtherwise() {
        assertThat(SuiteConfig.from(props(), Map.of()).transport())
                .isEqualTo(bai.scenarios.client.transport.Transport.Kind.JDK);
        assertThat(SuiteConfig.from(props(), Map.of("BAI_CLIENT_TRANSPORT", " REST-Assured ")).transport())
                .isEqualTo(bai.scenarios.client.transport.Transport.Kind.REST_ASSURED);
    }

    @Test
    void anUnknownTransportIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> SuiteConfig.from(props("bai.client.transport", "okhttp"), Map.of()))
                .isInstanceOf(PreflightFailure.class)
                .hasMessage("Preflight failed: bai.client.transport must be 'jdk' or 'rest-assured', not 'okhttp'");
    }
}
