package bai.scenarios.contract;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenApiContractTest {
    private static OpenApiContract contract;

    @BeforeAll
    static void load() {
        Path file = ReferenceFiles.require("openapi.json");
        long started = System.nanoTime();
        contract = OpenApiContract.load(file);
        System.out.printf("openapi.json loaded in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    private static void check(String method, String target, String body) {
        String[] parts = target.split("\\?", 2);
        contract.check(method, parts[0], parts.length > 1 ? parts[1] : null, body == null ? null : "application/json",
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            GET  | /                                | -
            GET  | /auth                            | -
            GET  | /auth/test                       | -
            POST | /auth                            | {"echo":"x"}
            GET  | /health/livez                    | -
            POST | /auth/authorize                  | {"type":"keypair","domain":"default","username":"user@lablup.com","password":"x"}
            POST | /session                         | {"session_name":"s1","image":"python:3.9","enqueue_only":true,"config":{"resources":{"cpu":1},"anything":1}}
            GET  | /auth/role?group=2de2b969-1d04-48a6-af16-0bc8adb3c831 | -
            POST | /admin/gql                       | {"query":"{ domains { name } }","variables":{}}
            """)
    void acceptsConformingRequests(String method, String target, String body) {
        assertThatCode(() -> check(method, target, body)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0} {1} {2} → {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            POST   | /auth                | {"echoo":"x"}                    | echoo
            POST   | /auth                | {}                               | echo
            POST   | /auth                | {"echo":5}                       | echo
            POST   | /auth                | -                                | JSON body
            DELETE | /auth                | -                                | allows GET, POST
            GET    | /no/such/path        | -                                | not an operation
            POST   | /auth/authorize      | {"type":"keypair","domain":"default","username":"u","password":"p","clientTypeId":"x"} | clientTypeId
            POST   | /session             | {"sessionName":"s1","image":"x"} | sessionName
            GET    | /auth/role?grp=1     | -                                | grp
            GET    | /health              | {"x":1}                          | declares none
            """)
    void refusesWhatTheManagerDoesNotDescribe(String method, String target, String body, String named) {
        assertThatThrownBy(() -> check(method, target, body))
                .isInstanceOf(ContractViolation.class)
                .hasMessageStartingWith("Contract violation: ")
                .hasMessageContaining(named);
    }

    @Test
    void namesTheOperationInViolations() {
        assertThatThrownBy(() -> check("POST", "/auth", "{\"echoo\":\"x\"}"))
                .hasMessageContaining("POST /auth (auth.test_post)").hasMessageContaining("VerifyAuthRequest");
    }

    @Test
    void pathTemplatesMatchOneSegmentAndLiteralsWin() {
        assertThat(contract.operationId("GET", "/session/abc/logs")).isPresent();
        assertThat(contract.operationId("GET", "/session/_/match")).isPresent()
                .isNotEqualTo(contract.operationId("GET", "/session/abc"));
        assertThat(contract.operationId("GET", "/session/a/b/c/logs")).isEmpty();
    }

    @Test
    void aLiteralPathWithoutTheMethodFallsThroughToTheTemplate() {
        assertThat(contract.operationId("POST", "/v2/artifacts/search")).isPresent()
                .isNotEqualTo(contract.operationId("GET", "/v2/artifacts/search"));
        assertThat(contract.operationId("GET", "/v2/artifacts/search"))
                .isEqualTo(contract.operationId("GET", "/v2/artifacts/3f2a"));
    }

    @Test
    void warmChecksAreCheap() {
        for (int i = 0; i < 200; i++) {
            check("POST", "/auth", "{\"echo\":\"x\"}");
        }
        long started = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            check("POST", "/auth", "{\"echo\":\"x\"}");
        }
        System.out.printf("warm OpenAPI check: %d µs per request%n", (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> OpenApiContract.load(Path.of("no/such/openapi.json")))
                .isInstanceOf(ContractSetupException.class).hasMessageContaining("no/such/openapi.json");
    }
}
