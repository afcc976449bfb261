package bai.scenarios.config;

import bai.scenarios.client.transport.Credentials;
import bai.scenarios.emulator.ManagerEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Preflight against a live emulator: one readable line per kind of misconfiguration. */
class PreflightTest {
    private static final Credentials ADMIN = new Credentials("AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    private static ManagerEmulator emulator;

    @BeforeAll
    static void start() {
        emulator = ManagerEmulator.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void aWorkingTargetReportsItsVersion() {
        assertThat(Preflight.check(emulator.endpoint(), ADMIN).apiVersion()).isEqualTo("v9.20250722");
    }

    @Test
    void aWrongSecretKeyIsOneLineAboutTheKeypair() {
        assertThatThrownBy(() -> Preflight.check(emulator.endpoint(), new Credentials(ADMIN.accessKey(), "wrong")))
                .isInstanceOf(PreflightFailure.class)
                .hasMessageContaining("refused access key AKIAIOSFODNN7EXAMPLE")
                .hasMessageContaining("bai.secret-key")
                .hasMessageNotContaining("\n")
                .hasMessageNotContaining("wrong");
    }

    @Test
    void anUnreachableEndpointIsOneLineAboutTheEndpoint() throws IOException {
        // A port bound but not listening refuses connections, and stays ours while the check runs: a
        // port closed before the check could be taken by an emulator another test class starts.
        try (Socket holder = new Socket()) {
            holder.bind(new InetSocketAddress("127.0.0.1", 0));
            URI nowhere = URI.create("http://127.0.0.1:" + holder.getLocalPort());
            assertThatThrownBy(() -> Preflight.check(nowhere, ADMIN))
                    .isInstanceOf(PreflightFailure.class)
                    .hasMessageContaining("cannot reach the manager at " + nowhere)
                    .hasMessageContaining("bai.endpoint")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void somethingThatIsNotAManagerIsSaidSo() {
        URI notTheApi = URI.create(emulator.endpoint() + "/health");
        assertThatThrownBy(() -> Preflight.check(notTheApi, ADMIN))
                .isInstanceOf(PreflightFailure.class)
                .hasMessageContaining("does not look like a Backend.AI manager");
    }
}
