package bai.scenarios.contract;

import bai.scenarios.client.ClientOptions;
import bai.scenarios.client.ManagerClient;
import bai.scenarios.client.transport.Credentials;
import bai.scenarios.client.transport.Exchange;
import bai.scenarios.emulator.ManagerEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract check stops a non-conforming request before it leaves the client. */
class ContractCheckTest {
    private static ManagerEmulator emulator;
    private static ContractCheck filter;

    @BeforeAll
    static void start() {
        filter = new ContractCheck(OpenApiContract.load(ReferenceFiles.require("openapi.json")),
                GraphQlContract.load(ReferenceFiles.require("schema.graphql")));
        emulator = ManagerEmulator.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private static ManagerClient client(List<Exchange> sent) {
        return new ManagerClient(emulator.endpoint(), new Credentials("AKIAIOSFODNN7EXAMPLE",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                new ClientOptions(Clock.systemUTC(), List.of(filter), sent::add, Duration.ofSeconds(10)));
    }

    @Test
    void conformingRequestsGoThrough() {
        List<Exchange> sent = new ArrayList<>();
        assertThat(client(sent).auth().verify("x").authorized()).isTrue();
        assertThat(sent).hasSize(1);
    }

    @Test
    void anAliasFieldNameIsStoppedBeforeItIsSent() {
        List<Exchange> sent = new ArrayList<>();
        assertThatThrownBy(() -> client(sent).post("/auth", Map.of("echoo", "x")))
                .isInstanceOf(ContractViolation.class)
                .hasMessageContaining("POST /auth (auth.test_post)")
                .hasMessageContaining("echoo");
        assertThat(sent).isEmpty();
    }

    @Test
    void anInvalidGraphQlDocumentIsStoppedBeforeItIsSent() {
        List<Exchange> sent = new ArrayList<>();
        assertThatThrownBy(() -> client(sent).post("/admin/gql", Map.of("query", "{ domains { nope } }")))
                .isInstanceOf(ContractViolation.class).hasMessageContaining("nope");
        assertThat(sent).isEmpty();
    }
}
