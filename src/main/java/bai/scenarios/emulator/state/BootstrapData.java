package bai.scenarios.emulator.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The halfstack example accounts the emulator boots with, read from the project's own
 * {@code bootstrap.json} (a copy of Backend.AI's example fixtures) so it runs anywhere.
 */
public record BootstrapData(JsonNode document, List<UserAccount> users, List<Keypair> keypairs) {
    public static final String RESOURCE = "/bai/scenarios/emulator/bootstrap.json";

    public static BootstrapData load() {
        try (InputStream in = BootstrapData.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bootstrap data " + RESOURCE + " is missing from the classpath");
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bootstrap data " + RESOURCE, e);
        }
    }

    static BootstrapData parse(JsonNode doc) {
        List<UserAccount> users = new ArrayList<>();
        for (JsonNode u : doc.path("users")) {
            users.add(new UserAccount(UUID.fromString(u.path("uuid").asText()), u.path("email").asText(),
                    u.path("username").asText(), u.path("password").asText(), u.path("role").asText(),
                    u.path("status").asText(), u.path("domain_name").asText(), u.path("resource_policy").asText()));
        }
        List<Keypair> keypairs = new ArrayList<>();
        for (JsonNode k : doc.path("keypairs")) {
            keypairs.add(new Keypair(k.path("access_key").asText(), k.path("secret_key").asText(),
                    k.path("is_active").asBoolean(), k.path("is_admin").asBoolean(), k.path("rate_limit").asInt(),
                    k.path("resource_policy").asText(), UUID.fromString(k.path("user").asText())));
        }
        return new BootstrapData(doc, List.copyOf(users), List.copyOf(keypairs));
    }
}
