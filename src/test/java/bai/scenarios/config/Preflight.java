package bai.scenarios.config;

import bai.scenarios.client.ClientOptions;
import bai.scenarios.client.ManagerClient;
import bai.scenarios.client.ManagerInfoApi.ManagerVersion;
import bai.scenarios.client.ManagerRejection;
import bai.scenarios.client.ManagerUnreachable;
import bai.scenarios.client.transport.Credentials;

import java.net.URI;
import java.time.Duration;

/**
 * Proves the target is usable before any scenario runs: it answers {@code GET /} like a
 * manager, and accepts a signed {@code GET /auth} with the configured keypair. Each failure is
 * one {@link PreflightFailure} line saying what to check.
 */
public final class Preflight {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Preflight() {
    }

    public static ManagerVersion check(URI endpoint, Credentials credentials) {
        ManagerClient client = new ManagerClient(endpoint, credentials, ClientOptions.plain(TIMEOUT));
        ManagerVersion version;
        try {
            version = client.info().version();
        } catch (ManagerUnreachable e) {
            throw new PreflightFailure("Preflight failed: " + e.getMessage()
                    + ". Check bai.endpoint (BAI_ENDPOINT) and that the manager is running.");
        } catch (ManagerRejection e) {
            throw new PreflightFailure("Preflight failed: " + endpoint + " answered GET / with " + e.problem()
                    + "; it does not look like a Backend.AI manager. Check bai.endpoint points at the manager API,"
                    + " not the web UI.");
        } catch (RuntimeException e) {
            throw new PreflightFailure("Preflight failed: " + endpoint + " answered GET / with something other than"
                    + " a manager's version document. Check bai.endpoint points at the manager API.");
        }
        try {
            if (!client.auth().verify().authorized()) {
                throw new PreflightFailure("Preflight failed: " + endpoint + " did not authorise access key "
                        + credentials.accessKey() + ". Check bai.access-key and bai.secret-key.");
            }
        } catch (ManagerUnreachable e) {
            throw new PreflightFailure("Preflight failed: " + e.getMessage() + " while checking the keypair.");
        } catch (ManagerRejection e) {
            throw new PreflightFailure("Preflight failed: " + endpoint + " refused access key " + credentials.accessKey()
                    + " with " + e.problem() + ". " + advice(e.problem().status(), e.problem().typeSlug()));
        }
        return version;
    }

    private static String advice(int status, String type) {
        if (status == 401) {
            return "Check bai.access-key and bai.secret-key (BAI_ACCESS_KEY, BAI_SECRET_KEY) name an active keypair.";
        }
        if ("invalid-auth-params".equals(type)) {
            return "Check this machine's clock: the manager refuses calls more than 15 minutes off its own.";
        }
        return "Check the endpoint and keypair settings.";
    }
}
