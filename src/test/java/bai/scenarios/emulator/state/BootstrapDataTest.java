package bai.scenarios.emulator.state;

import bai.scenarios.emulator.state.Entities.Keypair;
import bai.scenarios.emulator.state.Entities.UserAccount;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The emulator boots with exactly the halfstack example accounts. */
class BootstrapDataTest {
    private static final Path FIXTURES = Path.of("..", "shared", "reference", "fixtures");
    private final JsonNode bootstrap = BootstrapData.load().document();

    @Test
    void holdsTheHalfstackAccounts() {
        BootstrapData data = BootstrapData.load();
        assertThat(data.users()).extracting(UserAccount::email).containsExactlyInAnyOrder("admin@lablup.com",
                "domain-admin@lablup.com", "user@lablup.com", "user2@lablup.com", "monitor@lablup.com");
        assertThat(data.keypairs()).extracting(Keypair::accessKey).contains("AKIAIOSFODNN7EXAMPLE");
        assertThat(data.keypairs()).allSatisfy(k ->
                assertThat(data.users()).anySatisfy(u -> assertThat(u.uuid()).isEqualTo(k.userId())));
    }

    @Test
    void keypairToStringHidesTheSecret() {
        Keypair admin = BootstrapData.load().keypairs().get(0);
        assertThat(admin.toString()).doesNotContain(admin.secretKey());
    }

    @Test
    void matchesTheReferenceFixturesWhenPresent() throws IOException {
        assumeTrue(Files.isDirectory(FIXTURES), "../shared/reference/fixtures is not beside the project");
        ObjectMapper json = new ObjectMapper();
        JsonNode users = json.readTree(FIXTURES.resolve("example-users.json").toFile());
        JsonNode keypairs = json.readTree(FIXTURES.resolve("example-keypairs.json").toFile());
        for (String key : new String[] {"domains", "groups", "users", "association_groups_users",
                "user_resource_policies", "project_resource_policies", "scaling_groups"}) {
            assertThat(bootstrap.get(key)).as(key).isEqualTo(users.get(key));
        }
        assertThat(bootstrap.get("keypairs")).isEqualTo(keypairs.get("keypairs"));
        assertThat(bootstrap.get("keypair_resource_policies")).isEqualTo(keypairs.get("keypair_resource_policies"));
        assertThat(bootstrap.get("resource_presets"))
                .isEqualTo(json.readTree(FIXTURES.resolve("example-resource-presets.json").toFile()).get("resource_presets"));
        assertThat(bootstrap.get("session_templates"))
                .isEqualTo(json.readTree(FIXTURES.resolve("example-session-templates.json").toFile()));
    }
}
