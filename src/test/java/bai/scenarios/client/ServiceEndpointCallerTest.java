package bai.scenarios.client;

import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** How service endpoint callers get their JDK client. */
class ServiceEndpointCallerTest {
    @Test
    void callersShareOneHttpClientPerConnectTimeout() {
        // Each JDK client owns a selector thread; ManagerClient.endpointCaller() makes a caller per call.
        ServiceEndpointCaller one = new ServiceEndpointCaller(Duration.ofSeconds(7), exchange -> { });
        ServiceEndpointCaller two = new ServiceEndpointCaller(Duration.ofSeconds(7), exchange -> { });
        ServiceEndpointCaller shorter = new ServiceEndpointCaller(Duration.ofSeconds(2), exchange -> { });

        assertThat(two.http()).isSameAs(one.http());
        assertThat(shorter.http()).isNotSameAs(one.http());
        assertThat(one.http().connectTimeout()).contains(Duration.ofSeconds(7));
        assertThat(shorter.http().connectTimeout()).contains(Duration.ofSeconds(2));
        assertThat(one.http().followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
    }
}
