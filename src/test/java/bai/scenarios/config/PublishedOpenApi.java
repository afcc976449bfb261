package bai.scenarios.config;

import bai.scenarios.client.ApiResult;
import bai.scenarios.client.ClientOptions;
import bai.scenarios.client.ManagerClient;
import bai.scenarios.client.ManagerRejection;
import bai.scenarios.client.ManagerUnreachable;
import bai.scenarios.client.transport.Credentials;
import bai.scenarios.contract.ContractSetupException;
import bai.scenarios.contract.OpenApiContract;
import bai.scenarios.emulator.api.SpecApi;

import java.net.URI;
import java.time.Duration;

/**
 * {@code bai.contract.openapi=target}: the REST contract as the target publishes it at
 * {@code GET /spec/openapi/spec.json}, fetched after the preflight with the suite's keypair and
 * then used exactly like a file given by path.
 *
 * <p>A manager publishes it only while its {@code allow-openapi-schema-introspection} ({@code [api]}
 * section) is on, and answers {@code 403 generic-forbidden} otherwise, which is its default and the
 * production setting. Whatever keeps the suite from getting a usable document stops the run with
 * one {@link PreflightFailure} line saying why and what to do; the line carries the endpoint and
 * the manager's answer, never the keypair.
 */
public final class PublishedOpenApi {
    public static final String PATH = "/spec/openapi/spec.json";
    private static final String CALL = "GET " + PATH;
    private static final int MAX_REASON = 200;

    private PublishedOpenApi() {
    }

    /** Fetches and reads the target's document; {@code embeddedEmulator} only shapes the advice. */
    public static OpenApiContract fetch(URI endpoint, Credentials credentials, Duration timeout,
                                        boolean embeddedEmulator) {
        ManagerClient client = new ManagerClient(endpoint, credentials, ClientOptions.plain(timeout));
        ApiResult answer;
        try {
            answer = client.get(PATH);
        } catch (ManagerUnreachable e) {
            throw failure(endpoint, "could not be asked for its OpenAPI document (" + oneLine(e.getMessage()) + ")",
                    fileInstead());
        }
        return read(endpoint, answer, embeddedEmulator);
    }

    /** The contract in the target's answer, or the one line saying why there is none. */
    static OpenApiContract read(URI endpoint, ApiResult answer, boolean embeddedEmulator) {
        if (!answer.isSuccess()) {
            throw refused(endpoint, answer, embeddedEmulator);
        }
        try {
            return OpenApiContract.fromJson(answer.body(), "the OpenAPI document of " + endpoint);
        } catch (ContractSetupException e) {
            throw failure(endpoint, "answered " + CALL + " with something that is not an OpenAPI document ("
                    + describe(answer) + ")", fileInstead());
        }
    }

    private static PreflightFailure refused(URI endpoint, ApiResult answer, boolean embeddedEmulator) {
        String problem = answer.status() + " (" + describe(answer) + ")";
        String type = null;
        try {
            answer.orThrow();
        } catch (ManagerRejection e) {
            type = e.problem().typeSlug();
            if (type != null) {
                problem = oneLine(e.problem().toString());
            }
        }
        String answered = CALL + " answered " + problem;
        if (answer.status() == 403 && !"generic-forbidden".equals(type)) {
            // Not the manager's introspection refusal (a proxy in front of it, say).
            return failure(endpoint, "did not hand out its OpenAPI document (" + answered + ")", fileInstead());
        }
        return switch (answer.status()) {
            case 403 -> failure(endpoint, "does not publish its OpenAPI document (" + answered
                    + ": OpenAPI introspection is off, the manager's default)", embeddedEmulator
                    ? "Start the emulator with -D" + SpecApi.SETTING + "=<path to an openapi.json>, or " + setPath()
                    : "Turn on allow-openapi-schema-introspection in the [api] section of the manager's configuration,"
                    + " or " + setPath());
            case 404, 405 -> failure(endpoint, "has no OpenAPI document route (" + answered
                    + "; a manager older than that route, or not a manager)", fileInstead());
            case 401 -> failure(endpoint, "refused the keypair for its OpenAPI document (" + answered + ")",
                    fileInstead());
            default -> failure(endpoint, "did not hand out its OpenAPI document (" + answered + ")", fileInstead());
        };
    }

    private static String fileInstead() {
        return "S" + setPath().substring(1);
    }

    private static String setPath() {
        return "set " + SuiteConfig.CONTRACT_OPENAPI + " (" + SuiteConfig.envName(SuiteConfig.CONTRACT_OPENAPI)
                + ") to the path of the manager's openapi.json instead of 'target'.";
    }

    private static PreflightFailure failure(URI endpoint, String what, String fix) {
        return new PreflightFailure("Preflight failed: " + SuiteConfig.CONTRACT_OPENAPI + " is 'target', but "
                + endpoint + " " + what + ". " + fix);
    }

    /** What came back when it was not a problem document: its content type and size. */
    private static String describe(ApiResult answer) {
        return (answer.contentType() == null || answer.contentType().isBlank() ? "no content type"
                : oneLine(answer.contentType())) + ", " + answer.body().length + " bytes";
    }

    /** Server-provided text on one bounded line. */
    private static String oneLine(String text) {
        String flat = text == null ? "" : text.replaceAll("\\s+", " ").trim();
        return flat.length() > MAX_REASON ? flat.substring(0, MAX_REASON) + "…" : flat;
    }
}
