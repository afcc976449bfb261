package bai.scenarios.emulator.serving;

import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The emulator's clients to model replicas are one per JVM, not one per emulator: each JDK client
 * owns a selector thread, and tests start dozens of emulators.
 */
class SharedClientsTest {
    @Test
    void appProxiesShareOneClientToTheReplicas() {
        HttpClient client = new AppProxy().client();

        assertThat(new AppProxy().client()).isSameAs(client);
        assertThat(client.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(client.connectTimeout()).contains(Duration.ofSeconds(5));
    }

    @Test
    void healthChecksShareOneClient() {
        HttpClient client = ModelServices.health();

        assertThat(ModelServices.health()).isSameAs(client);
        assertThat(client.connectTimeout()).contains(Duration.ofSeconds(3));
    }
}
