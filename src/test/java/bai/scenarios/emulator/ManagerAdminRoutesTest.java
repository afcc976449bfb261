package bai.scenarios.emulator;

import static bai.scenarios.emulator.EmulatorCaller.DOMAIN_ADMIN_SK;
import static bai.scenarios.emulator.EmulatorCaller.DOMAIN_ADMIN_AK;
import static bai.scenarios.emulator.EmulatorCaller.USER2_SK;
import static bai.scenarios.emulator.EmulatorCaller.USER2_AK;
import bai.scenarios.emulator.EmulatorCaller.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The emulator's answers, over real HTTP, on the manager's status (freeze and unfreeze), the
 * caller's roles, password login refusals, the SSH keypair of an access key, and the pipeline's
 * 405 and malformed-body answers.
 */
class ManagerAdminRoutesTest {
    private static final String DEFAULT_PROJECT = "2de2b969-1d04-48a6-af16-0bc8adb3c831";
    private static ManagerEmulator emulator;
    private static EmulatorCaller admin;
    private static EmulatorCaller user;

    @BeforeAll
    static void start() {
        emulator = ManagerEmulator.start("127.0.0.1", 0);
        admin = EmulatorCaller.superadmin(emulator.endpoint(), Duration.ofSeconds(30));
        user = EmulatorCaller.user(emulator.endpoint(), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void managerStatusIsForSuperadminsOnly() {
        Answer status = admin.call("GET", "/manager/status", null);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.path("status").asText()).isEqualTo("running");
        assertThat(status.path("nodes").get(0).path("status").asText()).isEqualTo("running");
        assertThat(status.path("nodes").get(0).path("api_version").toString()).isEqualTo("[9,\"20250722\"]");
        assertThat(status.path("nodes").get(0).path("service_addr").asText()).endsWith(":" + emulator.endpoint().getPort());
        assertThat(status.path("active_sessions").isInt()).isTrue();
        Answer refused = user.call("GET", "/manager/status", null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.path("type").asText()).endsWith("/generic-forbidden");
    }

    @Test
    void aFrozenManagerRefusesCreatesToEveryoneUntilUnfrozen() {
        String session = "frozen-" + System.nanoTime();
        Map<String, Object> create = Map.of("session_name", session, "image", "python", "enqueue_only", true);
        try {
            assertThat(admin.call("PUT", "/manager/status", Map.of("status", "frozen")).status()).isEqualTo(204);
            assertThat(admin.call("GET", "/manager/status", null).path("status").asText()).isEqualTo("frozen");
            for (EmulatorCaller caller : new EmulatorCaller[] {user, admin}) {
                Answer refused = caller.call("POST", "/session", create);
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.path("type").asText()).isEqualTo("https://api.backend.ai/probs/server-frozen");
                assertThat(refused.path("title").asText())
                        .isEqualTo("The server is frozen due to maintenance. Please try again later.");
                assertThat(refused.path("error_code").asText()).isEqualTo("api_access_unavailable");
                assertThat(refused.body().has("msg")).isFalse();
            }
            // Reading still works while frozen.
            assertThat(user.call("GET", "/auth/role", null).status()).isEqualTo(200);
            assertThat(user.call("GET", "/template/session", null).status()).isEqualTo(200);
            // Only superadmins may change the status.
            assertThat(user.call("PUT", "/manager/status", Map.of("status", "running")).status()).isEqualTo(403);
        } finally {
            assertThat(admin.call("PUT", "/manager/status", Map.of("status", "running")).status()).isEqualTo(204);
        }
        Answer created = user.call("POST", "/session", create);
        assertThat(created.status()).isEqualTo(201);
        user.call("DELETE", "/session/" + created.path("sessionId").asText() + "?forced=true", null);
    }

    @Test
    void anUnknownManagerStatusIsTheManagersInternalError() {
        Answer answer = admin.call("PUT", "/manager/status", Map.of("status", "sleeping"));
        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.path("type").asText()).endsWith("/internal-server-error");
        assertThat(admin.call("PUT", "/manager/status", Map.of()).status()).isEqualTo(400);
    }

    @Test
    void aProjectRoleIsUserForMembersAndSuperadmins() {
        Answer member = user.call("GET", "/auth/role?group=" + DEFAULT_PROJECT, null);
        assertThat(member.status()).isEqualTo(200);
        assertThat(member.path("group_role").asText()).isEqualTo("user");
        Answer domainAdmin = new EmulatorCaller(emulator.endpoint(), DOMAIN_ADMIN_AK, DOMAIN_ADMIN_SK,
                Duration.ofSeconds(10)).call("GET", "/auth/role?group=" + DEFAULT_PROJECT, null);
        assertThat(domainAdmin.path("domain_role").asText()).isEqualTo("admin");
        assertThat(domainAdmin.path("group_role").asText()).isEqualTo("user");
        // A superadmin is not checked for membership, not even for a project that does not exist.
        Answer superadmin = admin.call("GET", "/auth/role?group=00000000-0000-0000-0000-00000000abcd", null);
        assertThat(superadmin.status()).isEqualTo(200);
        assertThat(superadmin.path("group_role").asText()).isEqualTo("user");
    }

    @Test
    void aNonMemberAskingForAProjectRoleIsTold404() {
        Answer answer = user.call("GET", "/auth/role?group=00000000-0000-0000-0000-00000000abcd", null);
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.path("type").asText()).endsWith("/object-not-found");
        assertThat(answer.path("title").asText()).isEqualTo("No such project (user group).");
        assertThat(answer.path("error_code").asText()).isEqualTo("backendai_read_not-found");
        assertThat(answer.path("msg").asText()).isEqualTo("No such project or you are not the member of it.");
        assertThat(user.call("GET", "/auth/role?group=not-a-uuid", null).path("error_code").asText())
                .isEqualTo("api_parsing_invalid-parameters");
    }

    @Test
    void aJwtLoginIsTheCommonInvalidParametersError() {
        Answer answer = user.call("POST", "/auth/authorize", Map.of("type", "jwt", "domain", "default",
                "username", "user@lablup.com", "password", "C8qnIo29"));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.path("type").asText()).endsWith("/generic-bad-request");
        assertThat(answer.path("title").asText()).isEqualTo("Invalid or Missing API Parameters.");
        assertThat(answer.path("error_code").asText()).isEqualTo("api_parsing_invalid-parameters");
        assertThat(answer.path("msg").asText()).isEqualTo("Unsupported authorization type");
    }

    @Test
    void anSshKeypairIsGeneratedStoredAndReadBack() {
        EmulatorCaller user2 = new EmulatorCaller(emulator.endpoint(), USER2_AK, USER2_SK, Duration.ofSeconds(30));
        assertThat(user2.call("GET", "/auth/ssh-keypair", null).path("ssh_public_key").asText()).isEmpty();
        Answer generated = user2.call("PATCH", "/auth/ssh-keypair", null);
        assertThat(generated.status()).isEqualTo(200);
        String pub = generated.path("ssh_public_key").asText();
        String priv = generated.path("ssh_private_key").asText();
        assertThat(pub).startsWith("ssh-rsa AAAA").endsWith("\n").doesNotContain(" \n");
        assertThat(priv).startsWith("-----BEGIN RSA PRIVATE KEY-----\n").endsWith("-----END RSA PRIVATE KEY-----\n");
        assertThat(user2.call("GET", "/auth/ssh-keypair", null).path("ssh_public_key").asText()).isEqualTo(pub);
        // Re-uploading the generated pair (without its trailing newlines) is accepted and normalised.
        Answer uploaded = user2.call("POST", "/auth/ssh-keypair", Map.of("pubkey", pub.strip(), "privkey", priv.strip()));
        assertThat(uploaded.status()).isEqualTo(200);
        assertThat(uploaded.path("ssh_public_key").asText()).isEqualTo(pub);
        assertThat(uploaded.path("ssh_private_key").asText()).isEqualTo(priv);
    }

    @Test
    void uploadedSshKeypairsAreValidatedAsTheManagerDoes() throws Exception {
        // Two RSA pairs made here (PKCS#8 private key, OpenSSH public key): validation does not care
        // where a pair came from, and 1024-bit keys are found in a fraction of the time of the
        // 2048-bit ones PATCH generates (seconds each on a C1-only JVM that is busy; the generated
        // PKCS#1 form is uploaded in anSshKeypairIsGeneratedStoredAndReadBack).
        KeyPair mine = rsa();
        String otherPub = openSsh((RSAPublicKey) rsa().getPublic());
        String priv = pem(mine.getPrivate());
        assertThat(admin.call("POST", "/auth/ssh-keypair", Map.of("pubkey", openSsh((RSAPublicKey) mine.getPublic()),
                "privkey", priv)).status()).as("a matching pair made here").isEqualTo(200);
        Answer mismatch = admin.call("POST", "/auth/ssh-keypair", Map.of("pubkey", otherPub, "privkey", priv));
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.path("type").asText()).endsWith("/ssh-keypair-mismatch");
        assertThat(mismatch.path("msg").asText()).isEqualTo("Public key does not match the private key");
        Answer badPrivate = admin.call("POST", "/auth/ssh-keypair", Map.of("pubkey", otherPub, "privkey", "garbage"));
        assertThat(badPrivate.path("type").asText()).endsWith("/invalid-ssh-private-key");
        assertThat(badPrivate.path("msg").asText()).isEqualTo("Invalid private key format");
        Answer badPublic = admin.call("POST", "/auth/ssh-keypair", Map.of("pubkey", "ssh-rsa !!!", "privkey", priv));
        assertThat(badPublic.path("type").asText()).endsWith("/invalid-ssh-public-key");

        KeyPair ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String edPriv = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(ed25519.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----";
        byte[] x509 = ed25519.getPublic().getEncoded();
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        for (byte[] field : new byte[][] {"ssh-ed25519".getBytes(StandardCharsets.US_ASCII),
                Arrays.copyOfRange(x509, x509.length - 32, x509.length)}) {
            blob.writeBytes(ByteBuffer.allocate(4).putInt(field.length).array());
            blob.writeBytes(field);
        }
        String edPub = "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " me@host";
        assertThat(admin.call("POST", "/auth/ssh-keypair", Map.of("pubkey", edPub, "privkey", edPriv)).status())
                .isEqualTo(200);
        Answer crossed = admin.call("POST", "/auth/ssh-keypair", Map.of("pubkey", edPub, "privkey", priv));
        assertThat(crossed.path("msg").asText()).isEqualTo("The private and public keys are of incompatible types");
    }

    @Test
    void a405ListsTheAllowedMethodsSorted() {
        var answer = admin.raw("DELETE", "/auth/ssh-keypair");
        assertThat(answer.statusCode()).isEqualTo(405);
        assertThat(answer.headers().firstValue("Allow")).contains("GET,PATCH,POST");
    }

    @Test
    void aMalformedBodyIsNamedByItsFullUrl() {
        Answer answer = admin.call("PUT", "/manager/status?x=1", null);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.path("title").asText()).isEqualTo("Malformed request body.");
        assertThat(answer.path("msg").asText()).isEqualTo("Malformed body - URL: http://127.0.0.1:"
                + emulator.endpoint().getPort() + "/manager/status?x=1, Method: PUT");
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        return generator.generateKeyPair();
    }

    private static String pem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----";
    }

    /** {@code ssh-rsa} and the blob OpenSSH writes: the type, the exponent and the modulus, each length-prefixed. */
    private static String openSsh(RSAPublicKey key) {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        for (byte[] field : new byte[][] {"ssh-rsa".getBytes(StandardCharsets.US_ASCII),
                key.getPublicExponent().toByteArray(), key.getModulus().toByteArray()}) {
            blob.writeBytes(ByteBuffer.allocate(4).putInt(field.length).array());
            blob.writeBytes(field);
        }
        return "ssh-rsa " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " test@host";
    }
}
