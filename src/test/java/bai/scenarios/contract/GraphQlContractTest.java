package bai.scenarios.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GraphQlContractTest {
    private static final String CREATE_DOMAIN = "mutation CreateDomain($name: String!, $props: DomainInput!) {"
            + " create_domain(name: $name, props: $props) { ok msg domain { name } } }";
    private static GraphQlContract contract;

    @BeforeAll
    static void load() {
        Path file = ReferenceFiles.require("schema.graphql");
        long started = System.nanoTime();
        contract = GraphQlContract.load(file);
        System.out.printf("schema.graphql loaded in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> vars(String json) throws Exception {
        return new ObjectMapper().readValue(json, HashMap.class);
    }

    @Test
    void acceptsAValidQuery() {
        assertThatCode(() -> contract.check("query { domains(is_active: true) { name is_active total_resource_slots } }",
                null, null)).doesNotThrowAnyException();
    }

    @Test
    void acceptsAMutationWithFittingVariables() throws Exception {
        assertThatCode(() -> contract.check(CREATE_DOMAIN, vars("""
                {"name": "testing-x", "props": {"description": "d", "is_active": true, "total_resource_slots": "{}",
                 "allowed_vfolder_hosts": "{}", "allowed_docker_registries": ["cr.backend.ai"]}}"""), "CreateDomain"))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesAnUnknownField() {
        assertThatThrownBy(() -> contract.check("query { domains { name no_such_field } }", null, null))
                .isInstanceOf(ContractViolation.class).hasMessageContaining("no_such_field");
    }

    @Test
    void refusesAMissingRequiredVariable() throws Exception {
        Map<String, Object> variables = vars("{\"props\": {\"description\": \"d\"}}");
        assertThatThrownBy(() -> contract.check(CREATE_DOMAIN, variables, "CreateDomain"))
                .isInstanceOf(ContractViolation.class).hasMessageContaining("name");
    }

    @Test
    void refusesAnUnknownInputField() throws Exception {
        Map<String, Object> variables = vars("{\"name\": \"x\", \"props\": {\"isActive\": true}}");
        assertThatThrownBy(() -> contract.check(CREATE_DOMAIN, variables, "CreateDomain"))
                .isInstanceOf(ContractViolation.class).hasMessageContaining("isActive");
    }

    @Test
    void refusesAJsonStringThatIsNotAString() throws Exception {
        Map<String, Object> variables = vars("{\"name\": \"x\", \"props\": {\"total_resource_slots\": {\"cpu\": 1}}}");
        assertThatThrownBy(() -> contract.check(CREATE_DOMAIN, variables, "CreateDomain"))
                .isInstanceOf(ContractViolation.class).hasMessageContaining("JSONString");
    }

    @Test
    void aDocumentValidatedBeforeStillHasItsVariablesChecked() throws Exception {
        Map<String, Object> fitting = vars("{\"name\": \"testing-y\", \"props\": {\"description\": \"d\"}}");
        Map<String, Object> misfit = vars("{\"name\": \"testing-y\", \"props\": {\"isActive\": true}}");
        contract.check(CREATE_DOMAIN, fitting, "CreateDomain");
        assertThatThrownBy(() -> contract.check(CREATE_DOMAIN, misfit, "CreateDomain"))
                .isInstanceOf(ContractViolation.class).hasMessageContaining("isActive");
        assertThatCode(() -> contract.check(CREATE_DOMAIN, fitting, "CreateDomain")).doesNotThrowAnyException();
    }

    @Test
    void anInvalidDocumentIsRefusedEveryTimeItIsSent() {
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> contract.check("query { domains { name other_missing_field } }", null, null))
                    .isInstanceOf(ContractViolation.class).hasMessageContaining("other_missing_field");
        }
    }

    @Test
    void theSameTextUnderAnotherOperationNameIsCheckedForThatName() {
        String document = "query A { domains { name } } query B { domains { name } }";
        assertThatCode(() -> contract.check(document, null, "A")).doesNotThrowAnyException();
        assertThatThrownBy(() -> contract.check(document, null, "C"))
                .isInstanceOf(ContractViolation.class);
    }

    @Test
    void refusesASyntaxErrorReadably() {
        assertThatThrownBy(() -> contract.check("query { domains { name ", null, null))
                .isInstanceOf(ContractViolation.class).hasMessageContaining("not valid");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> GraphQlContract.load(Path.of("no/such/schema.graphql")))
                .isInstanceOf(ContractSetupException.class).hasMessageContaining("no/such/schema.graphql");
    }
}
